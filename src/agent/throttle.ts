/**
 * Slower cadence for monitors that cost more than the rest: the process table (a read of every
 * /proc/<pid>) dominates the agent's tick at a 1 s interval, while its per-process rows and
 * the process count change on a scale of seconds; filesystem sizes (a statfs per mount) change
 * more slowly still. The runtime monitor watches the agent's own Node.js process (heap spaces,
 * open descriptors, event-loop delay percentiles over a 60 s window: about a millisecond a read),
 * which is the cost of watching, not what is watched. Their series keep the last walk's values
 * in between, and CPU rates are computed over the longer walk interval, so no data goes missing.
 */
import type { ResourceMonitor } from "../monitors/resource-monitor.js";

/** Monitors walked at most this often, whatever the collection interval (id -> ms). */
export const SLOW_MONITORS: Readonly<Record<string, number>> = {
  "host.processes": 5000,
  "host.filesystem": 5000,
  runtime: 5000,
};

/** Runs `update` on every `every`-th call only (the first call always runs). */
export function everyNth(monitor: ResourceMonitor, every: number): ResourceMonitor {
  if (every <= 1) return monitor;
  let calls = 0;
  const update = () => (calls++ % every === 0 ? monitor.update() : undefined);
  // Methods are bound to the monitor, as class monitors keep their state in private fields.
  return new Proxy(monitor, {
    get(target, key) {
      if (key === "update") return update;
      const v = Reflect.get(target, key, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

/** Wraps the monitors in `SLOW_MONITORS` for an agent ticking every `intervalMs`. */
export function throttleSlowMonitors(monitors: ResourceMonitor[], intervalMs: number): ResourceMonitor[] {
  return monitors.map((m) => {
    const slowMs = SLOW_MONITORS[m.monitorId()];
    return slowMs === undefined ? m : everyNth(m, Math.max(1, Math.round(slowMs / intervalMs)));
  });
}
