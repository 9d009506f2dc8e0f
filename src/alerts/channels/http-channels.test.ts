import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { alertmanagerBody, createAlertmanagerChannel } from "./alertmanager-channel.js";
import type { AlertChannel } from "./channel.js";
import { type ChannelHarness, runChannelConformance, sampleNotification } from "./conformance.js";
import { createSlackChannel, slackPayload } from "./slack-channel.js";
import { startReceiver, type TestReceiver } from "./test-receiver.js";
import { createWebhookChannel, webhookBody } from "./webhook-channel.js";

type Body = Record<string, unknown>;

async function harness(
  make: (url: string) => AlertChannel,
  read: (body: Body) => { status: string; alertnames: string[] },
): Promise<ChannelHarness> {
  const rec = await startReceiver();
  return {
    channel: make(rec.url),
    received: async () => rec.bodies.map((b) => read(b as Body)),
    fail: (mode) => {
      rec.mode = mode === "permanent" ? 400 : 503;
    },
    slow: () => {
      rec.mode = "slow";
    },
    close: () => rec.close(),
  };
}

const features = { canFail: true, canBeSlow: true };

runChannelConformance(
  "webhook",
  () =>
    harness(
      (url) => createWebhookChannel({ url }),
      (b) => ({
        status: String(b.status),
        alertnames: (b.alerts as Body[]).map((a) => (a.labels as Body).alertname as string),
      }),
    ),
  features,
);

runChannelConformance(
  "slack",
  () =>
    harness(
      (url) => createSlackChannel({ webhookUrl: url }),
      (b) => ({
        status: String(b.text),
        alertnames: (b.attachments as Body[]).map((a) => String(a.title).split(" ")[1]),
      }),
    ),
  features,
);

runChannelConformance(
  "alertmanager",
  () =>
    harness(
      (url) => createAlertmanagerChannel({ url: url.replace("/hook", "") }),
      (b) => {
        const list = b as unknown as Body[];
        const ended = list.every((a) => Date.parse(String(a.endsAt)) < Date.now());
        return {
          status: ended ? "resolved" : "firing",
          alertnames: list.map((a) => (a.labels as Body).alertname as string),
        };
      },
    ),
  features,
);

test("webhook body is Alertmanager's version 4 format plus value and threshold", () => {
  const body = webhookBody(sampleNotification("ops", "firing", ["A", "B", "C"]), { maxAlerts: 2 });
  assert.equal(body.version, "4");
  assert.equal(body.truncatedAlerts, 1);
  assert.equal(body.alerts.length, 2);
  assert.equal(body.alerts[0].startsAt, "2026-11-22T10:00:00.000Z");
  assert.equal(body.alerts[0].endsAt, "0001-01-01T00:00:00Z");
  assert.equal(body.alerts[0].value, 93.5);
  assert.equal(body.alerts[0].threshold, 90);
  assert.deepEqual(body.commonAnnotations, { summary: "CPU at 93.5% on host-a" });
});

test("slack payload has the seed's shape: colour by severity, Resource/Value/Threshold/Time", () => {
  const p = slackPayload(sampleNotification("slack", "firing"), "#ops");
  assert.equal(p.channel, "#ops");
  assert.match(p.text, /^🚨 Resource Alert: CPU at 93.5%/);
  assert.equal(p.attachments[0].color, "danger");
  assert.deepEqual(
    p.attachments[0].fields.map((f) => [f.title, f.value]),
    [
      ["Resource", "cpu=0,instance=host-a"],
      ["Value", "93.5"],
      ["Threshold", "90"],
      ["Time", "2026-11-22T10:00:00.000Z"],
    ],
  );
  assert.equal(slackPayload(sampleNotification("slack", "resolved")).attachments[0].color, "good");
});

test("alertmanager body: firing endsAt lies ttl ahead (refreshed per send), resolved uses endsAt", () => {
  const now = Date.UTC(2026, 10, 22, 11, 0, 0);
  const firing = alertmanagerBody(sampleNotification("am", "firing"), { now: () => now, ttlMs: 60_000 });
  assert.equal(firing[0].endsAt, "2026-11-22T11:01:00.000Z");
  assert.match(firing[0].generatorURL, /^http:\/\/localhost\/alerts\?rule=HighCpu$/);
  const resolved = alertmanagerBody(sampleNotification("am", "resolved"), { now: () => now });
  assert.equal(resolved[0].endsAt, "2026-11-22T10:05:00.000Z");
});

let rec: TestReceiver;
before(async () => {
  rec = await startReceiver();
});
after(() => rec.close());

const ctx = () => ({ signal: new AbortController().signal });
for (const [mode, retryable] of [
  [404, false],
  [429, true],
  [500, true],
  ["garbage", true],
  ["drop", true],
] as const) {
  test(`webhook answering ${mode} rejects with retryable=${retryable}`, async () => {
    rec.mode = mode;
    const ch = createWebhookChannel({ url: rec.url, name: "hook" });
    const err = (await ch.send(sampleNotification("hook", "firing"), ctx()).then(
      () => undefined,
      (e: unknown) => e,
    )) as { message: string; data: { retryable: boolean } };
    assert.ok(err, "must reject");
    assert.match(err.message, /^\[alerts:hook\]/);
    assert.equal(err.data.retryable, retryable);
  });
}

test("webhook to a port nothing listens on rejects as retryable", async () => {
  await rec.close();
  const ch = createWebhookChannel({ url: rec.url });
  const err = (await ch.send(sampleNotification("webhook", "firing"), ctx()).then(
    () => undefined,
    (e: unknown) => e,
  )) as { data: { retryable: boolean } };
  assert.equal(err.data.retryable, true);
  rec = await startReceiver();
});

test("a bare Alertmanager channel route gets its own defaults: one group per alert, resent every minute", async () => {
  const { createNotifier } = await import("../notifier.js");
  const r2 = await startReceiver();
  let t = 1_000_000;
  const channel = createAlertmanagerChannel({ url: r2.url.replace("/hook", ""), now: () => t });
  const notifier = createNotifier({
    channels: [{ channel }],
    cooldown: "5m",
    groupWait: "30s",
    now: () => t,
  });
  const n = sampleNotification("alertmanager", "firing", ["A", "B"]);
  notifier.update(n.alerts);
  notifier.tick(t);
  await notifier.idle();
  assert.equal(r2.bodies.length, 2);
  t += 60_000;
  notifier.tick(t);
  await notifier.idle();
  assert.equal(r2.bodies.length, 4);
  const last = r2.bodies[3] as { endsAt: string }[];
  assert.equal(Date.parse(last[0].endsAt), t + 240_000);
  await notifier.close();
  await r2.close();
});
