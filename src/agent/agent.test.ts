import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { test } from "node:test";
import type { Registry } from "../metrics/registry.js";
import type { ResourceMonitor } from "../monitors/resource-monitor.js";
import { startAgent } from "./agent.js";
import { loadConfig, parseConfig } from "./config-load.js";
import { createLogger } from "./logger.js";

function quietLogger(lines: string[]) {
  return createLogger(
    "info",
    new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    }),
  );
}

/** A monitor that writes a climbing gauge into the agent's registry once attached. */
function climbingMonitor(registryRef: { registry?: Registry }): ResourceMonitor {
  let n = 0;
  return {
    monitorId: () => "test.climb",
    resourceType: () => "custom",
    getUsageReport: () => ({ currentBytes: n, peakBytes: n }),
    update() {
      n++;
      const g = registryRef.registry?.get("test_climb") as { set(v: number): void } | undefined;
      g?.set(n);
    },
  };
}

test("the agent ticks monitors into the registry, history and the HTTP API, reloads and stops", async () => {
  const dir = mkdtempSync(join(tmpdir(), "headroom-agent-"));
  const file = join(dir, "agent.toml");
  writeFileSync(file, '[monitoring]\ncollection_interval = "1h"\n[server]\nport = 0\n');
  const lines: string[] = [];
  const ref: { registry?: Registry } = {};
  const agent = await startAgent({
    config: loadConfig(file).config,
    configFile: file,
    logger: quietLogger(lines),
    monitors: [climbingMonitor(ref)],
    configuredMonitors: false,
  });
  try {
    ref.registry = agent.registry;
    agent.registry.gauge({ name: "test_climb", help: "A climbing test value." });
    await agent.tick();
    await agent.tick();
    const url = agent.url!;
    assert.equal((await fetch(`${url}/readyz`)).status, 200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /^test_climb \d+$/m);
    assert.match(metrics, /headroom_agent_resident_memory_bytes \d+/);
    assert.match(metrics, /headroom_monitor_success\{monitor="test.climb"\} 1/);
    const query = await (await fetch(`${url}/api/v1/query?series=test_climb&from=-1h`)).json();
    assert.ok(query.series[0].points.length >= 2);
    const monitors = await (await fetch(`${url}/api/v1/monitors`)).json();
    assert.equal(monitors.monitors[0].monitorId, "test.climb");

    writeFileSync(file, '[monitoring]\ncollection_interval = "ten"\n');
    const bad = await agent.reload();
    assert.equal(bad.ok, false);
    assert.match(bad.message, /keeping the running config.*collection_interval/);
    assert.equal(agent.config.monitoring.collectionInterval, 3_600_000);

    writeFileSync(file, '[monitoring]\ncollection_interval = "2h"\n[server]\nport = 1234\n');
    const good = await agent.reload();
    assert.equal(good.ok, true);
    assert.match(good.message, /restart to apply: server address\/port/);
    assert.equal(agent.config.monitoring.collectionInterval, 7_200_000);
    // History survives a reload.
    const after = await (await fetch(`${url}/api/v1/query?series=test_climb&from=-1h`)).json();
    assert.ok(after.series[0].points.length >= 2);
  } finally {
    await agent.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(lines.some((l) => l.includes('"msg":"stopped"')));
});

test("health turns degraded and names a failing monitor; the others keep reporting", async () => {
  const failing: ResourceMonitor = {
    monitorId: () => "test.broken",
    resourceType: () => "custom",
    getUsageReport: () => ({ currentBytes: 0, peakBytes: 0 }),
    update() {
      throw new Error("sensor unplugged");
    },
  };
  const config = loadConfig(undefined).config;
  const agent = await startAgent({
    config: { ...config, server: { ...config.server, port: 0 } },
    logger: quietLogger([]),
    monitors: [failing],
    configuredMonitors: false,
    autoTick: false,
  });
  try {
    await agent.tick();
    const health = await (await fetch(`${agent.url}/healthz`)).json();
    assert.equal(health.status, "degraded");
    assert.deepEqual(health.problems, ["monitor test.broken: sensor unplugged"]);
    assert.equal((await fetch(`${agent.url}/readyz`)).status, 200);
  } finally {
    await agent.stop();
  }
});

test("exporters and alert channels from the config: samples pushed, flushed at stop; a firing rule reaches the webhook", async () => {
  const bodies: { path: string; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      bodies.push({ path: req.url ?? "", body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const port = (receiver.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), "headroom-agent-wiring-"));
  const toml = `
[monitoring]
collection_interval = "1h"
[[monitoring.exporters]]
name = "influx"
type = "influxdb"
endpoint = "http://127.0.0.1:${port}/write"
database = "headroom"
batch_size = 100000
flush_interval = "1h"
[[monitoring.alerting.channels]]
type = "webhook"
url = "http://127.0.0.1:${port}/hook"
[[monitoring.alerting.rules]]
name = "WiringTest"
series = "wiring_value"
threshold = 1
[server]
enabled = false
`;
  const agent = await startAgent({
    config: parseConfig(toml, "toml", "wiring.toml").config,
    logger: quietLogger([]),
    configuredMonitors: false,
    autoTick: false,
    dataDir: dir,
  });
  try {
    agent.registry.gauge({ name: "wiring_value", help: "Raised by the wiring test." }).set(5);
    await agent.tick();
    const deadline = Date.now() + 10_000;
    while (!bodies.some((b) => b.path === "/hook") && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const hook = bodies.find((b) => b.path === "/hook");
    assert.ok(hook, "webhook received the alert");
    assert.match(hook.body, /"alertname":"WiringTest"/);
    assert.ok(!bodies.some((b) => b.path.startsWith("/write")), "the batch waits for the flush");
  } finally {
    await agent.stop();
    receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const write = bodies.find((b) => b.path.startsWith("/write"));
  assert.ok(write, "stop() flushed the exporter queue");
  assert.match(write.body, /^wiring_value[ ,].*value=5/m);
});

test("alert state lives in the history database and survives a restart: `for` keeps counting (issue 6)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "headroom-agent-alertstate-"));
  const toml = `
[monitoring]
collection_interval = "1h"
[[monitoring.alerting.rules]]
name = "HeldAlert"
series = "held_value"
threshold = 1
for = "1h"
[server]
port = 0
`;
  const start = () =>
    startAgent({
      config: parseConfig(toml, "toml", "held.toml").config,
      logger: quietLogger([]),
      configuredMonitors: false,
      autoTick: false,
      dataDir: dir,
    });
  const pendingSince = async (url: string | undefined) => {
    const res = await fetch(`${url}/api/v1/alerts`);
    const body = (await res.json()) as { alerts: { name: string; state: string; sinceMs?: number }[] };
    return body.alerts.find((a) => a.name === "HeldAlert");
  };
  try {
    const first = await start();
    first.registry.gauge({ name: "held_value", help: "Held." }).set(5);
    await first.tick();
    const before = await pendingSince(first.url);
    assert.equal(before?.state, "pending");
    assert.ok(typeof before?.sinceMs === "number");
    await new Promise((r) => setTimeout(r, 20));
    await first.stop();

    const db = new (await import("better-sqlite3")).default(join(dir, "history.db"), { readonly: true });
    const row = db.prepare("SELECT body FROM headroom_alert_state").get() as { body: string } | undefined;
    db.close();
    assert.ok(row?.body.includes("HeldAlert"), "pending state stored in history.db");

    const second = await start();
    try {
      second.registry.gauge({ name: "held_value", help: "Held." }).set(5);
      await second.tick();
      const after = await pendingSince(second.url);
      assert.equal(after?.state, "pending");
      assert.equal(
        after?.sinceMs,
        before?.sinceMs,
        "the pending alert keeps its start: the for clock was not reset",
      );
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
