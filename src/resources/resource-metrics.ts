/**
 * Makes a resource manager visible in a metrics registry: budgets, usage, pressure, pool
 * statistics, emergency grants and everything the manager counted instead of throwing. The
 * numbers are mirrored by one collector just before each `registry.collect()`, so acquire and
 * release pay nothing for being observed.
 *
 * Series (all `headroom_resource_*` and `headroom_pool_*`, labelled by `type` or `pool`):
 * budget, reserved, used and peak bytes, live resources, the pressure level (0 none .. 4
 * critical), allocations and emergency grants, waiting acquires, manager events by kind, and per
 * pool used / free / capacity / high-water blocks with hits, misses and failures.
 */
import type { Registry } from "../metrics/registry.js";
import type { ManagerCounters } from "./manager-types.js";
import type { ResourceManager } from "./resource-manager.js";

/** Registers the manager's metrics in `registry` (each name once; throws HR_ALREADY_REGISTERED on a second call). */
export function instrumentResourceManager(manager: ResourceManager, registry: Registry): void {
  const byType = (name: string, help: string, unit = "") =>
    registry.gauge({ name, help, labelNames: ["type"], ...(unit ? { unit } : {}) });
  const budget = byType(
    "headroom_resource_budget_bytes",
    "Budget per resource type (absent when unlimited).",
    "bytes",
  );
  const reserved = byType(
    "headroom_resource_reserved_bytes",
    "Budget bytes reserved for high and critical priority.",
    "bytes",
  );
  const used = byType("headroom_resource_used_bytes", "Bytes held by live resources, per type.", "bytes");
  const peak = byType("headroom_resource_peak_bytes", "Highest bytes held at once, per type.", "bytes");
  const live = byType("headroom_resource_live", "Live resources per type.");
  const pressure = byType(
    "headroom_resource_pressure_level",
    "Pressure level per type: 0 none, 1 low, 2 medium, 3 high, 4 critical.",
  );
  const allocations = registry.counter({
    name: "headroom_resource_allocations_total",
    help: "Resources granted, per type.",
    labelNames: ["type"],
  });
  const emergency = registry.counter({
    name: "headroom_resource_emergency_grants_total",
    help: "Emergency acquisitions granted past the budget, per type.",
    labelNames: ["type"],
  });
  const events = registry.counter({
    name: "headroom_resource_events_total",
    help: "Things the resource manager counted instead of failing: double releases, reclamation errors, timeouts...",
    labelNames: ["event"],
  });
  const waiting = registry.gauge({
    name: "headroom_resource_waiting",
    help: "Acquires waiting in Blocking or Timeout mode.",
  });
  const byPool = (name: string, help: string) => registry.gauge({ name, help, labelNames: ["pool"] });
  const poolUsed = byPool("headroom_pool_used_blocks", "Pool blocks or objects handed out.");
  const poolFree = byPool("headroom_pool_free_blocks", "Pool blocks or idle objects ready to hand out.");
  const poolCapacity = byPool("headroom_pool_capacity_blocks", "Pool blocks or objects that exist now.");
  const poolHighWater = byPool(
    "headroom_pool_high_water_blocks",
    "Most pool blocks or objects handed out at once.",
  );
  const poolCounter = (name: string, help: string) => registry.counter({ name, help, labelNames: ["pool"] });
  const poolHits = poolCounter(
    "headroom_pool_hits_total",
    "Pool allocations served from a free block or idle object.",
  );
  const poolMisses = poolCounter(
    "headroom_pool_misses_total",
    "Pool allocations that had to grow the pool or wait.",
  );
  const poolFailures = poolCounter(
    "headroom_pool_failures_total",
    "Pool allocations refused (full) or factory failures.",
  );
  let pools = new Set<string>();

  registry.registerCollector(
    () => {
      const report = manager.report();
      for (const b of report.budgets) {
        const labels = { type: b.type };
        if (Number.isFinite(b.maxBytes)) budget.set(labels, b.maxBytes);
        else budget.remove(labels);
        reserved.set(labels, b.reservedBytes);
        used.set(labels, b.currentUsage);
        peak.set(labels, b.peakUsage);
        live.set(labels, b.liveCount);
        pressure.set(labels, b.pressure);
        allocations.setTotal(labels, b.allocationCount);
        emergency.setTotal(labels, b.emergencyGrants);
      }
      for (const [key, value] of Object.entries(report.counters) as [keyof ManagerCounters, number][]) {
        events.setTotal({ event: snake(key) }, value);
      }
      waiting.set(report.waiting);
      const seen = new Set<string>();
      for (const p of report.pools) {
        const labels = { pool: p.name };
        seen.add(p.name);
        poolUsed.set(labels, p.used);
        poolFree.set(labels, p.free);
        poolCapacity.set(labels, p.capacity);
        poolHighWater.set(labels, p.highWater);
        poolHits.setTotal(labels, p.hits);
        poolMisses.setTotal(labels, p.misses);
        poolFailures.setTotal(labels, p.failures);
      }
      // A destroyed pool's series go away rather than freezing at their last value.
      for (const name of pools) {
        if (seen.has(name)) continue;
        for (const m of [
          poolUsed,
          poolFree,
          poolCapacity,
          poolHighWater,
          poolHits,
          poolMisses,
          poolFailures,
        ]) {
          m.remove({ pool: name });
        }
      }
      pools = seen;
    },
    { name: "resources" },
  );
}

const snakeNames = new Map<string, string>();

/** camelCase counter key to its `event` label value, converted once per key. */
function snake(key: string): string {
  let name = snakeNames.get(key);
  if (name === undefined) {
    name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    snakeNames.set(key, name);
  }
  return name;
}
