import assert from "node:assert/strict";
import { test } from "node:test";
import { createRegistry } from "../metrics/registry.js";
import { findValue } from "../metrics/snapshot.js";
import { createMonitorRegistry } from "./monitor-registry.js";
import { emptyUsageReport, MonitoredResourceType, type ResourceMonitor } from "./resource-monitor.js";
import { createMonitorScheduler } from "./scheduler.js";

function monitor(id: string, update: () => void | Promise<void>): ResourceMonitor {
  return {
    monitorId: () => id,
    resourceType: () => MonitoredResourceType.Custom,
    getUsageReport: () => emptyUsageReport,
    update,
  };
}

function gauges() {
  const reg = createRegistry();
  const get = (name: string, monitor: string) => findValue(reg.snapshot(), name, { monitor });
  return { reg, get };
}

test("a throwing, a rejecting and a hanging monitor are reported; the good one still runs", async () => {
  const reg = createMonitorRegistry();
  let good = 0;
  reg.registerResourceMonitor(monitor("good", () => void good++));
  reg.registerResourceMonitor(
    monitor("throws", () => {
      throw new Error("[test] bad file");
    }),
  );
  reg.registerResourceMonitor(monitor("rejects", async () => Promise.reject(new Error("[test] refused"))));
  let release: () => void = () => {};
  reg.registerResourceMonitor(monitor("hangs", () => new Promise<void>((r) => (release = r))));
  const { reg: metrics, get } = gauges();
  const sched = createMonitorScheduler(reg, { intervalMs: 1000, timeoutMs: 30, metrics });
  const results = await sched.tick();
  const byId = Object.fromEntries(results.map((r) => [r.monitorId, r]));
  assert.equal(good, 1);
  assert.equal(byId.good.ok, true);
  assert.equal(byId.throws.ok, false);
  assert.match(byId.throws.error ?? "", /bad file/);
  assert.match(byId.rejects.error ?? "", /refused/);
  assert.equal(byId.hangs.timedOut, true);
  assert.equal(get("headroom_monitor_success", "good"), 1);
  assert.equal(get("headroom_monitor_success", "hangs"), 0);
  assert.ok((get("headroom_monitor_duration_seconds", "hangs") ?? 0) >= 0.02);

  // The hung update is still pending: the next tick does not start a second one.
  const second = await sched.tick();
  assert.equal(second.find((r) => r.monitorId === "hangs")?.skipped, true);
  assert.equal(good, 2);
  release();
  await new Promise((r) => setImmediate(r));
  const third = await sched.tick();
  assert.equal(third.find((r) => r.monitorId === "hangs")?.ok, false); // hangs again, times out
  const st = sched.status().find((s) => s.monitorId === "throws");
  assert.equal(st?.failures, 3);
  assert.match(st?.lastError ?? "", /bad file/);
  release();
});

test("start runs ticks at the interval until stop; removed monitors drop their series", async () => {
  const reg = createMonitorRegistry();
  let n = 0;
  reg.registerResourceMonitor(monitor("m", () => void n++));
  const { reg: metrics, get } = gauges();
  const sched = createMonitorScheduler(reg, { intervalMs: 10, metrics });
  sched.start();
  sched.start();
  await new Promise((r) => setTimeout(r, 80));
  await sched.stop();
  assert.equal(sched.running, false);
  const seen = n;
  assert.ok(seen >= 2, `ran ${seen} times`);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(n, seen);
  await reg.unregisterResourceMonitor("m");
  await sched.tick();
  assert.equal(get("headroom_monitor_success", "m"), undefined);
  assert.equal(sched.status().length, 0);
});
