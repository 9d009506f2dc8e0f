/**
 * Drives a manager's Memory pressure from the host's real memory pressure when the host
 * monitors run: the share of time tasks stalled on memory (PSI, from
 * `node_pressure_memory_waiting_seconds_total`) and the memory headroom (available over total,
 * from `node_memory_MemAvailable_bytes` / `node_memory_MemTotal_bytes`, or a cgroup's working
 * set against its limit). The higher of the two levels wins; the manager then reports the
 * higher of that and its own budget's level.
 */
import { findValue, type MetricsSnapshot } from "../metrics/snapshot.js";
import { ResourcePressure } from "./types.js";

export interface HostMemorySignals {
  /** Fraction of wall time some task stalled on memory (0..1), PSI "some". */
  readonly stallFraction?: number;
  /** Available memory over total (or over the cgroup limit), 0..1. */
  readonly availableRatio?: number;
}

/** The pressure level these signals mean (thresholds in the function body). */
export function hostPressureLevel(signals: HostMemorySignals): ResourcePressure {
  let level: ResourcePressure = ResourcePressure.None;
  const stall = signals.stallFraction;
  if (stall !== undefined && Number.isFinite(stall)) {
    level =
      stall >= 0.4
        ? ResourcePressure.Critical
        : stall >= 0.2
          ? ResourcePressure.High
          : stall >= 0.1
            ? ResourcePressure.Medium
            : stall >= 0.02
              ? ResourcePressure.Low
              : ResourcePressure.None;
  }
  const avail = signals.availableRatio;
  if (avail !== undefined && Number.isFinite(avail)) {
    const fromHeadroom =
      avail < 0.05
        ? ResourcePressure.Critical
        : avail < 0.1
          ? ResourcePressure.High
          : avail < 0.2
            ? ResourcePressure.Medium
            : avail < 0.3
              ? ResourcePressure.Low
              : ResourcePressure.None;
    if (fromHeadroom > level) level = fromHeadroom;
  }
  return level;
}

/** What the feed drives: `ResourceManager.setHostPressure`. */
export interface HostPressureTarget {
  setHostPressure(level: ResourcePressure): void;
}

/**
 * Reads successive metrics snapshots (call `update` after each monitor tick) and sets the
 * host pressure. The stall fraction needs two snapshots; until then only headroom counts.
 * Returns the level it set.
 */
export function createHostPressureFeed(target: HostPressureTarget): {
  update(snapshot: MetricsSnapshot): ResourcePressure;
} {
  let last: { stalled: number; at: number } | undefined;
  return {
    update(snapshot) {
      const stalled = findValue(snapshot, "node_pressure_memory_waiting_seconds_total");
      let stallFraction: number | undefined;
      if (stalled !== undefined) {
        if (last !== undefined && snapshot.timestampMs > last.at && stalled >= last.stalled) {
          stallFraction = (stalled - last.stalled) / ((snapshot.timestampMs - last.at) / 1000);
        }
        last = { stalled, at: snapshot.timestampMs };
      }
      let availableRatio: number | undefined;
      const available = findValue(snapshot, "node_memory_MemAvailable_bytes");
      const total = findValue(snapshot, "node_memory_MemTotal_bytes");
      if (available !== undefined && total !== undefined && total > 0) availableRatio = available / total;
      const limit = findValue(snapshot, "container_spec_memory_limit_bytes");
      const workingSet = findValue(snapshot, "container_memory_working_set_bytes");
      if (limit !== undefined && workingSet !== undefined && limit > 0) {
        const cgroupRatio = Math.max(0, (limit - workingSet) / limit);
        availableRatio = availableRatio === undefined ? cgroupRatio : Math.min(availableRatio, cgroupRatio);
      }
      const level = hostPressureLevel({ stallFraction, availableRatio });
      target.setHostPressure(level);
      return level;
    },
  };
}
