import assert from "node:assert/strict";
import { test } from "node:test";
import { type Alert, fingerprint, type Notification } from "./alert.js";
import { createCallbackChannel } from "./channels/callback-channel.js";
import { defaultInhibitRules } from "./inhibit.js";
import { createNotifier, type NotifierOptions } from "./notifier.js";

function alert(status: "firing" | "resolved", labels: Record<string, string>, t = 0): Alert {
  const l = { alertname: "HighCpu", severity: "warning", ...labels };
  return {
    fingerprint: fingerprint(l),
    status,
    state: status,
    labels: l,
    annotations: {},
    rule: l.alertname,
    severity: l.severity as Alert["severity"],
    value: 1,
    threshold: 0,
    startsAtMs: t,
    endsAtMs: status === "resolved" ? t : 0,
    flapping: false,
  };
}

function setup(opts: Partial<NotifierOptions> = {}, fail?: () => boolean) {
  let t = 0;
  const sent: Notification[] = [];
  const channel = createCallbackChannel("rec", (n) => {
    if (fail?.()) throw new Error("receiver down");
    sent.push(n);
  });
  const notifier = createNotifier({
    channels: [{ channel }],
    groupWait: "30s",
    groupInterval: "5m",
    repeatInterval: "4h",
    now: () => t,
    sleep: async () => {},
    random: () => 0.5,
    ...opts,
  });
  const at = async (sec: number) => {
    t = sec * 1000;
    notifier.tick(t);
    await notifier.idle();
  };
  const summary = () =>
    sent.map((n) => `${n.status}:${n.alerts.map((a) => `${a.labels.cpu}${a.status[0]}`).join(",")}`);
  return { notifier, sent, at, summary, setT: (s: number) => (t = s * 1000) };
}

test("group wait collects alerts into one notification, then group interval batches changes", async () => {
  const { notifier, at, summary } = setup();
  notifier.update([alert("firing", { cpu: "0" })]);
  await at(10);
  notifier.update([alert("firing", { cpu: "1" })]);
  await at(29);
  assert.deepEqual(summary(), []);
  await at(30);
  assert.deepEqual(summary(), ["firing:0f,1f"]);
  notifier.update([alert("firing", { cpu: "2" })]);
  await at(100);
  assert.equal(summary().length, 1); // waits for group interval
  await at(330);
  assert.deepEqual(summary()[1], "firing:0f,1f,2f");
});

test("dedup: nothing new means nothing sent until the repeat interval", async () => {
  const { notifier, at, summary } = setup();
  notifier.update([alert("firing", { cpu: "0" })]);
  await at(30);
  await at(330);
  await at(630);
  assert.equal(summary().length, 1);
  await at(30 + 4 * 3600);
  assert.equal(summary().length, 2);
});

test("resolved notifications go out, and only for alerts that were announced", async () => {
  const { notifier, at, summary } = setup();
  notifier.update([alert("firing", { cpu: "0" })]);
  notifier.update([alert("firing", { cpu: "9" })]);
  notifier.update([alert("resolved", { cpu: "9" })]); // fired and resolved inside group wait
  await at(30);
  assert.deepEqual(summary(), ["firing:0f"]);
  notifier.update([alert("resolved", { cpu: "0" })]);
  await at(330);
  assert.deepEqual(summary(), ["firing:0f", "resolved:0r"]);
  assert.equal(notifier.alerts().length, 0);
});

test("a failing channel keeps the resolve until it is delivered (no missed resolved notification)", async () => {
  let down = false;
  const { notifier, at, summary, sent } = setup({ retry: { maxAttempts: 2 } }, () => down);
  notifier.update([alert("firing", { cpu: "0" })]);
  await at(30);
  down = true;
  notifier.update([alert("resolved", { cpu: "0" })]);
  await at(330);
  assert.equal(sent.length, 1);
  assert.equal(notifier.stats()[0].failed, 1);
  assert.equal(notifier.stats()[0].failedAttempts, 2);
  assert.match(notifier.stats()[0].lastError, /receiver down/);
  down = false;
  await at(630);
  assert.deepEqual(summary(), ["firing:0f", "resolved:0r"]);
});

test("cooldown defers the next notification of a group, never drops it", async () => {
  const { notifier, at, summary } = setup({ groupInterval: "10s", cooldown: "2m" });
  notifier.update([alert("firing", { cpu: "0" })]);
  await at(30);
  notifier.update([alert("firing", { cpu: "1" })]);
  await at(40);
  await at(100);
  assert.equal(summary().length, 1);
  await at(150);
  assert.deepEqual(summary(), ["firing:0f", "firing:0f,1f"]);
});

test("silences mute matching alerts while active; expire brings them back", async () => {
  const { notifier, at, summary, setT } = setup({ groupInterval: "10s" });
  setT(0);
  const s = notifier.silences.add({
    matchers: [{ name: "cpu", op: "=", value: "0" }],
    endsAtMs: 3600_000,
    createdBy: "ops",
    comment: "maintenance",
  });
  notifier.update([alert("firing", { cpu: "0" }), alert("firing", { cpu: "1" })]);
  await at(30);
  assert.deepEqual(summary(), ["firing:1f"]);
  assert.equal(notifier.alerts().find((a) => a.labels.cpu === "0")?.silenced, true);
  assert.equal(notifier.silences.list({ state: "active" }).length, 1);
  setT(35);
  notifier.silences.expire(s.id);
  await at(40);
  assert.deepEqual(summary(), ["firing:1f", "firing:0f,1f"]);
  assert.equal(notifier.silences.list({ state: "expired" }).length, 1);
});

test("silence input is validated", () => {
  const { notifier } = setup();
  const add = (over: Record<string, unknown>) =>
    notifier.silences.add({
      matchers: [{ name: "cpu", op: "=", value: "0" }],
      endsAtMs: 10_000,
      createdBy: "ops",
      comment: "c",
      ...over,
    } as never);
  assert.throws(() => add({ matchers: [] }), /field "matchers"/);
  assert.throws(() => add({ matchers: [{ name: "cpu", op: "=~", value: ".*" }] }), /match every alert/);
  assert.throws(() => add({ matchers: [{ name: "cpu", op: "=~", value: "(" }] }), /bad regex/);
  assert.throws(() => add({ endsAtMs: -1 }), /field "endsAtMs"/);
  assert.throws(() => add({ createdBy: "" }), /field "createdBy"/);
  assert.throws(() => add({ comment: " " }), /field "comment"/);
  assert.throws(() => notifier.silences.expire("nope"), /no silence with id "nope"/);
});

test("inhibition: a firing critical mutes the matching warning", async () => {
  const { notifier, at, sent } = setup({ inhibitRules: defaultInhibitRules });
  notifier.update([
    alert("firing", { cpu: "0", severity: "critical" }),
    alert("firing", { cpu: "0", severity: "warning" }),
    alert("firing", { cpu: "0", severity: "warning", alertname: "Other" }),
  ]);
  await at(30);
  const names = sent.flatMap((n) => n.alerts.map((a) => `${a.labels.alertname}/${a.labels.severity}`)).sort();
  assert.deepEqual(names, ["HighCpu/critical", "Other/warning"]);
});

test("a channel that hangs never blocks the other channels or tick", async () => {
  const got: string[] = [];
  let t = 0;
  const notifier = createNotifier({
    channels: [
      {
        channel: createCallbackChannel("stuck", () => new Promise(() => {})),
        retry: { maxAttempts: 1, timeoutMs: 200 },
      },
      { channel: createCallbackChannel("ok", (n) => void got.push(n.receiver)) },
    ],
    groupWait: 0,
    now: () => t,
  });
  notifier.update([alert("firing", { cpu: "0" })]);
  t = 1;
  notifier.tick(t);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(got, ["ok"]);
  await notifier.idle();
  const stuck = notifier.stats().find((s) => s.channel === "stuck")!;
  assert.equal(stuck.failed, 1);
  assert.match(stuck.lastError, /timed out/);
});

test("retries back off exponentially with jitter and stop at the bound", async () => {
  const delays: number[] = [];
  let attempts = 0;
  const failing = createNotifier({
    channels: [
      {
        channel: createCallbackChannel("down", () => {
          attempts++;
          throw new Error("503");
        }),
      },
    ],
    groupWait: 0,
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250, jitter: 0.5 },
    sleep: async (ms) => void delays.push(ms),
    random: () => 1,
  });
  failing.update([alert("firing", { cpu: "0" })]);
  failing.tick(Date.now() + 1);
  await failing.idle();
  assert.equal(attempts, 4);
  assert.deepEqual(delays, [150, 300, 375]); // 100, 200, 250 (capped), each x1.5
  assert.equal(failing.stats()[0].failed, 1);
  await failing.close();
});

test("the notification log survives export/import, so a restart does not re-notify", async () => {
  const a = setup();
  a.notifier.update([alert("firing", { cpu: "0" })]);
  await a.at(30);
  const log = a.notifier.exportLog();
  const b = setup();
  b.notifier.importLog(log);
  b.notifier.update([alert("firing", { cpu: "0" })]);
  await b.at(60);
  await b.at(400);
  assert.equal(b.sent.length, 0);
  b.notifier.update([alert("resolved", { cpu: "0" })]);
  await b.at(800);
  assert.deepEqual(b.summary(), ["resolved:0r"]);
});

test("deliveries to one channel are bounded by maxConcurrent", async () => {
  let active = 0;
  let peak = 0;
  const notifier = createNotifier({
    channels: [
      {
        channel: createCallbackChannel("slowish", async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
        groupBy: ["..."],
        maxConcurrent: 3,
      },
    ],
    groupWait: 0,
  });
  notifier.update(Array.from({ length: 20 }, (_, i) => alert("firing", { cpu: String(i) })));
  notifier.tick(Date.now() + 1);
  await notifier.idle();
  assert.equal(notifier.stats()[0].sent, 20);
  assert.equal(peak, 3);
});
