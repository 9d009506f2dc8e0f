/**
 * Leak detection's plain data: what is live, who holds it, for how long, and (in debug mode)
 * where it was acquired.
 *
 * Refs collected without release are found through a FinalizationRegistry. That is best
 * effort by the language's own rules: the collector may run late or never (short-lived
 * processes, no memory pressure), so it is a hint for long-running processes, not a guarantee;
 * `dispose()` of the manager and `listLiveResources()` are the reliable reports.
 */
import { holdersOf, type ResourceEntry } from "./handle-table.js";
import { resourceTypeName } from "./types.js";

export interface LiveResource {
  readonly id: number;
  readonly generation: number;
  readonly name: string;
  readonly type: string;
  readonly sizeBytes: number;
  /** Owners holding references ("(anonymous)" for an acquire without `owner`). */
  readonly owners: string[];
  readonly refCount: number;
  readonly ageMs: number;
  /** Granted in Emergency mode past the budget. */
  readonly emergency: boolean;
  readonly pool?: string;
  /** The acquiring stack, in debug mode. */
  readonly stack?: string;
}

/** What `onLeak` is told. */
export interface LeakReport {
  /** `collected-unreleased`: a ref was garbage-collected while held; `held-at-dispose`: still held at `dispose()`. */
  readonly kind: "collected-unreleased" | "held-at-dispose";
  readonly resources: readonly LiveResource[];
}

export function describeEntry(entry: ResourceEntry, nowMs: number): LiveResource {
  const owners = holdersOf(entry).map((o) => o || "(anonymous)");
  return {
    id: entry.handle.id,
    generation: entry.handle.generation,
    name: entry.handle.name,
    type: resourceTypeName(entry.type),
    sizeBytes: entry.sizeBytes,
    owners,
    refCount: entry.refCount,
    ageMs: Math.max(0, nowMs - entry.createdMs),
    emergency: entry.emergency,
    ...(entry.poolName === undefined ? {} : { pool: entry.poolName }),
    ...(entry.stack === undefined ? {} : { stack: entry.stack }),
  };
}
