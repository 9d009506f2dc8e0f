/**
 * Alerting against real peers (issue 6): `promtool check rules` on exported rule YAML, and a real
 * Alertmanager that receives the engine's alerts over API v2 and routes them to a webhook
 * receiver run by this test, firing and resolved; plus an Alertmanager that is down at start.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  alertmanagerRoute,
  createAlertmanagerChannel,
} from "../../src/alerts/channels/alertmanager-channel.js";
import { sampleNotification } from "../../src/alerts/channels/conformance.js";
import { startReceiver, type TestReceiver } from "../../src/alerts/channels/test-receiver.js";
import { createAlertEngine } from "../../src/alerts/engine.js";
import { createNotifier } from "../../src/alerts/notifier.js";
import { exportPrometheusRules, importPrometheusRules } from "../../src/alerts/prometheus-rules.js";
import { parseRules } from "../../src/alerts/rule.js";
import { rulesFromThresholds } from "../../src/alerts/thresholds.js";
import type { MetricsSnapshot } from "../../src/metrics/snapshot.js";
import { eventually, freePort, type Peer, startPeer, tempDir } from "./lib.js";

before(() => {
  spawnSync("bash", ["test/peers/install.sh"], { stdio: "inherit" });
});

test("promtool check rules accepts the exported rules (thresholds, windows, hysteresis, keep_firing_for)", () => {
  const dir = tempDir("alerts-promtool");
  const rules = parseRules([
    ...rulesFromThresholds({
      cpu_usage_percent: 80,
      memory_usage_percent: 85,
      disk_usage_percent: 90,
      network_bandwidth_percent: 80,
      container_count: 10,
      process_count: 1000,
    }),
    {
      name: "ErrRate",
      selector: 'node_network_receive_errs_total{device=~"eth.*"}',
      reduce: "rate",
      window: "2m",
      op: ">",
      threshold: 1,
      keepFiringFor: "5m",
      severity: "critical",
    },
    {
      name: "LoadAvg",
      metric: "node_load1",
      reduce: "avg",
      window: "5m",
      op: ">=",
      threshold: 4,
      severity: "info",
    },
  ]);
  const file = join(dir, "rules.yml");
  const yaml = exportPrometheusRules(rules, { interval: "15s" });
  writeFileSync(file, yaml);
  const res = spawnSync("promtool", ["check", "rules", file], { encoding: "utf8" });
  assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}\n${yaml}`);
  assert.match(res.stdout, /SUCCESS: 8 rules found/);
  // And the file comes back unchanged through the importer.
  assert.equal(importPrometheusRules(yaml).rules.length, 8);
  spawnSync("rm", ["-rf", dir]);
});

function amConfig(hookUrl: string): string {
  return [
    "route:",
    "  receiver: hook",
    "  group_by: ['alertname']",
    "  group_wait: 0s",
    "  group_interval: 1s",
    "  repeat_interval: 1h",
    "receivers:",
    "  - name: hook",
    "    webhook_configs:",
    `      - url: ${hookUrl}`,
    "        send_resolved: true",
    "",
  ].join("\n");
}

async function startAlertmanager(port: number, hookUrl: string): Promise<{ peer: Peer; dir: string }> {
  const dir = tempDir("alertmanager");
  writeFileSync(join(dir, "am.yml"), amConfig(hookUrl));
  const peer = await startPeer(
    "prometheus-alertmanager",
    [
      `--config.file=${join(dir, "am.yml")}`,
      `--storage.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
    ],
    `http://127.0.0.1:${port}/-/ready`,
    { cleanup: [dir] },
  );
  return { peer, dir };
}

type Webhook = {
  status: string;
  alerts: {
    status: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    generatorURL: string;
  }[];
};

function snapshot(t: number, value: number): MetricsSnapshot {
  return {
    timestampMs: t,
    families: [
      {
        name: "headroom_cpu_usage_percent",
        help: "",
        unit: "",
        labelNames: [],
        type: "gauge",
        series: [{ labels: {}, value }],
      },
    ],
  };
}

describe("a real Alertmanager", () => {
  let hook: TestReceiver;
  let port: number;
  let am: { peer: Peer; dir: string } | undefined;

  before(async () => {
    hook = await startReceiver();
    port = await freePort();
  });
  after(async () => {
    await am?.peer.stop();
    await hook.close();
  });

  test("down at start: failures are counted, then the alert arrives once it is up; resolve follows", async () => {
    const channel = createAlertmanagerChannel({
      url: `http://127.0.0.1:${port}`,
      externalUrl: "http://127.0.0.1:9999",
    });
    const notifier = createNotifier({
      channels: [
        { ...alertmanagerRoute(channel, "1s"), retry: { maxAttempts: 2, baseDelayMs: 50, timeoutMs: 2000 } },
      ],
    });
    const engine = createAlertEngine({
      rules: rulesFromThresholds({ cpu_usage_percent: 80 }, { for: 0 }),
      notifier,
    });
    const r = await engine.evaluate(snapshot(Date.now(), 97));
    assert.equal(r.firing, 1);
    await notifier.idle();
    const st = notifier.stats()[0];
    assert.equal(st.sent, 0);
    assert.ok(st.failed >= 1 && st.failedAttempts >= 2, JSON.stringify(st));
    assert.match(st.lastError, /cannot reach/);

    am = await startAlertmanager(port, hook.url);
    // The notifier resends every second; evaluation keeps running meanwhile.
    const firing = await eventually(
      async () => {
        await engine.evaluate(snapshot(Date.now(), 97));
        return (hook.bodies as Webhook[]).find((b) => b.status === "firing");
      },
      20000,
      300,
    );
    const a = firing.alerts[0];
    assert.equal(a.labels.alertname, "HostCpuUsageHigh");
    assert.equal(a.labels.severity, "warning");
    assert.equal(a.labels.resource, "cpu");
    assert.match(a.annotations.summary, /CPU usage is 97% \(threshold 80%\)/);
    assert.equal(a.annotations.value, "97");
    assert.equal(a.generatorURL, "http://127.0.0.1:9999/alerts?rule=HostCpuUsageHigh");

    // Alertmanager holds exactly one alert, with an endsAt refreshed into the future.
    const list = (await (await fetch(`http://127.0.0.1:${port}/api/v2/alerts`)).json()) as {
      endsAt: string;
    }[];
    assert.equal(list.length, 1);
    assert.ok(Date.parse(list[0].endsAt) > Date.now());

    // Below the clear line (75): resolved in the engine, then in Alertmanager, then at the receiver.
    const resolved = await eventually(
      async () => {
        await engine.evaluate(snapshot(Date.now(), 50));
        return (hook.bodies as Webhook[]).find((b) => b.status === "resolved");
      },
      20000,
      300,
    );
    assert.equal(resolved.alerts[0].status, "resolved");
    await notifier.close();
  });

  test("a sender that stops refreshing: its alert expires in Alertmanager at endsAt and resolves", async () => {
    assert.ok(am, "started by the first test");
    const channel = createAlertmanagerChannel({ url: `http://127.0.0.1:${port}`, ttlMs: 2000 });
    const n = sampleNotification("alertmanager", "firing", ["DeadSender"]);
    await channel.send(
      { ...n, alerts: [{ ...n.alerts[0], startsAtMs: Date.now() }] },
      { signal: new AbortController().signal },
    );
    const pick = (status: string) =>
      (hook.bodies as Webhook[]).find(
        (b) => b.status === status && b.alerts[0].labels.alertname === "DeadSender",
      );
    await eventually(async () => pick("firing"), 15000, 200);
    // Nothing more is sent: the alert's endsAt passes and Alertmanager resolves it by itself.
    const resolved = await eventually(async () => pick("resolved"), 20000, 250);
    assert.equal(resolved.alerts[0].status, "resolved");
  });

  test("Alertmanager rejects a malformed alert; the channel reports it as not retryable", async () => {
    assert.ok(am, "started by the previous test");
    const channel = createAlertmanagerChannel({ url: `http://127.0.0.1:${port}` });
    const n = sampleNotification("alertmanager", "firing");
    const bad = { ...n, alerts: [{ ...n.alerts[0], labels: {} }] };
    const err = (await channel.send(bad, { signal: new AbortController().signal }).then(
      () => undefined,
      (e: unknown) => e,
    )) as { message: string; data: { status: number; retryable: boolean } };
    assert.ok(err, "must reject");
    assert.ok(err.data.status >= 400 && err.data.status < 500, err.message);
    assert.equal(err.data.retryable, false);
  });
});
