/**
 * The one conformance suite every ResourceMonitor runs. An implementation's test file calls
 * `runMonitorConformance("host.cpu", (registry) => new CpuMonitor(registry, { roots }))`, which
 * registers node:test tests; each builds a fresh monitor on a fresh registry through `create`
 * (fixture roots, fake clients: whatever makes `update()` succeed deterministically).
 *
 * What it holds every monitor to: a stable non-empty id and a known resource type; a usage
 * report that never throws and is sane before the first update and after each one (peak >=
 * current, a capacity only when positive); an update that writes its numbers into the registry
 * it was given (the registry is the only place they live); repeated updates; a clean run under
 * the scheduler; and an idempotent `close()`.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRegistry, type Registry } from "../metrics/registry.js";
import { findValue, type MetricsSnapshot } from "../metrics/snapshot.js";
import { createMonitorRegistry } from "./monitor-registry.js";
import { MonitoredResourceType, type ResourceMonitor, type ResourceUsageReport } from "./resource-monitor.js";
import { createMonitorScheduler } from "./scheduler.js";

const TYPES = new Set<string>(Object.values(MonitoredResourceType));

function seriesCount(s: MetricsSnapshot): number {
  let n = 0;
  for (const f of s.families) n += f.series.length;
  return n;
}

function assertSaneReport(r: ResourceUsageReport): void {
  assert.ok(Number.isFinite(r.currentBytes) && r.currentBytes >= 0, `currentBytes ${r.currentBytes}`);
  assert.ok(
    Number.isFinite(r.peakBytes) && r.peakBytes >= r.currentBytes,
    `peak ${r.peakBytes} < ${r.currentBytes}`,
  );
  if (r.totalCapacityBytes !== undefined) {
    assert.ok(
      Number.isFinite(r.totalCapacityBytes) && r.totalCapacityBytes > 0,
      `capacity ${r.totalCapacityBytes}`,
    );
  }
}

export interface MonitorConformanceOptions {
  /**
   * False for a push-fed monitor whose readings reach the registry as they happen (the frame
   * monitor), not in `update()`; the "update writes" check is then left out.
   */
  writesOnUpdate?: boolean;
}

export function runMonitorConformance(
  name: string,
  create: (registry: Registry) => ResourceMonitor | Promise<ResourceMonitor>,
  options: MonitorConformanceOptions = {},
): void {
  describe(`ResourceMonitor conformance: ${name}`, () => {
    test("identity: a stable non-empty id and a known resource type", async () => {
      const m = await create(createRegistry());
      const id = m.monitorId();
      assert.equal(typeof id, "string");
      assert.ok(id.length > 0);
      assert.equal(m.monitorId(), id);
      assert.ok(TYPES.has(m.resourceType()), `unknown resource type ${m.resourceType()}`);
      await m.close?.();
    });

    test("the usage report is sane before the first update and after each one", async () => {
      const m = await create(createRegistry());
      const before = m.getUsageReport();
      assertSaneReport(before);
      await m.update();
      assertSaneReport(m.getUsageReport());
      await m.update();
      assertSaneReport(m.getUsageReport());
      await m.close?.();
    });

    const writes = options.writesOnUpdate === false ? () => {} : test;
    writes("update writes its readings into the registry it was given", async () => {
      const registry = createRegistry();
      const m = await create(registry);
      const before = registry.snapshot();
      await m.update();
      const after = registry.snapshot();
      // New series, or new values in series that existed (a label-less gauge exists, at 0, from
      // its registration on).
      assert.ok(
        seriesCount(after) > seriesCount(before) ||
          JSON.stringify(after.families) !== JSON.stringify(before.families),
        "no series written by update()",
      );
      await m.close?.();
    });

    test("runs under the scheduler and reports success", async () => {
      const registry = createRegistry();
      const m = await create(registry);
      const monitors = createMonitorRegistry();
      monitors.registerResourceMonitor(m);
      const [result] = await createMonitorScheduler(monitors, { metrics: registry, timeoutMs: 5000 }).tick();
      assert.equal(result.ok, true, result.error);
      assert.equal(findValue(registry.snapshot(), "headroom_monitor_success", { monitor: m.monitorId() }), 1);
      await monitors.closeAll();
    });

    test("close() may be called twice", async () => {
      const m = await create(createRegistry());
      await m.update();
      await m.close?.();
      await m.close?.();
    });
  });
}
