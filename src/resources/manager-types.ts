/**
 * The manager's option, callback, counter and report shapes, kept apart from the class so
 * the ledger and the server can name them without the implementation.
 */

import type { Registry } from "../metrics/registry.js";
import type { ResourceStats } from "./budget.js";
import type { ResourceHandle } from "./handle-table.js";
import type { LeakReport, LiveResource } from "./live-resources.js";
import type { PlatformOptions } from "./platform.js";
import type { PoolStats } from "./pool-config.js";
import type { ResourcePressure, ResourceType } from "./types.js";

export interface ResourceManagerOptions {
  /** Default budgets from the effective memory (see `platformBudgets`). */
  readonly platform?: PlatformOptions;
  /** Deadline for Timeout-mode acquires that pass no `timeoutMs`; 5000 when omitted. */
  readonly defaultTimeoutMs?: number;
  /** Records the acquiring stack of each resource (costly; for finding leaks). */
  readonly debug?: boolean;
  /** Told about leaks: refs collected unreleased, and what `dispose()` found still held. Errors are counted. */
  readonly onLeak?: (report: LeakReport) => void;
  /** The clock for ages and deadlines (ms); Date.now when omitted. */
  readonly now?: () => number;
  /** Publishes budgets, pressure, pools and counters here (`instrumentResourceManager`). */
  readonly registry?: Registry;
}

export interface AcquireOptions<T> {
  /** Who holds the resource; owners take part in deadlock checks and leak reports. */
  readonly owner?: string;
  /** Builds the value; called after the budget is charged. A throw fails the acquire (HR_UNAVAILABLE). */
  readonly create?: (handle: ResourceHandle) => T;
  /** Called with the value when the last reference is released. Errors are counted. */
  readonly destroy?: (value: T) => void;
  /**
   * Takes a block from this block pool; the value is the block's bytes unless `create` is given.
   * The block goes back when the resource is released; Blocking acquires waiting for a block are
   * woken by such releases (not by `pool.free` calls made outside the manager).
   */
  readonly pool?: string;
  /** Deadline for Timeout mode (ms). */
  readonly timeoutMs?: number;
}

/** Told when a type's pressure level changes (not on every allocation). Throws are counted. */
export type PressureCallback = (type: ResourceType, pressure: ResourcePressure, stats: ResourceStats) => void;

/**
 * Asked to free bytes of `type` when a request would exceed the budget; returns how many it
 * freed. The manager trusts only the usage it sees drop: a callback that claims more is counted
 * in `reclaimOverclaims`, one that throws in `reclaimErrors`.
 */
export type ReclamationCallback = (type: ResourceType, requestedBytes: number) => number;

/** Things the manager counted instead of throwing. */
export interface ManagerCounters {
  /** Releases of a reference that was already released. */
  doubleReleases: number;
  /** Releases of a handle whose resource is gone (its slot was freed or reused). */
  staleReleases: number;
  /** Releases or shares of a handle issued by another manager (or not a handle at all). */
  foreignReleases: number;
  /** Emergency acquires granted past the budget. */
  emergencyGrants: number;
  reclaimCalls: number;
  reclaimErrors: number;
  /** Reclamation callbacks that claimed more bytes than usage actually dropped. */
  reclaimOverclaims: number;
  reclaimedBytes: number;
  /** Pressure and leak callbacks that threw. */
  callbackErrors: number;
  /** `destroy` callbacks that threw. */
  destroyErrors: number;
  /** Refs garbage-collected while still held. */
  leakedRefs: number;
  timeouts: number;
  deadlocks: number;
  /** Acquires and shares that returned an error, all causes together. */
  failures: number;
}

export function newCounters(): ManagerCounters {
  return {
    doubleReleases: 0,
    staleReleases: 0,
    foreignReleases: 0,
    emergencyGrants: 0,
    reclaimCalls: 0,
    reclaimErrors: 0,
    reclaimOverclaims: 0,
    reclaimedBytes: 0,
    callbackErrors: 0,
    destroyErrors: 0,
    leakedRefs: 0,
    timeouts: 0,
    deadlocks: 0,
    failures: 0,
  };
}

/** Plain data for `GET /api/v1/resources`. */
export interface ResourcesReport {
  readonly disposed: boolean;
  /** Types with a limit, usage or host pressure. */
  readonly budgets: ResourceStats[];
  /** Live resources, oldest first. */
  readonly resources: LiveResource[];
  readonly pools: PoolStats[];
  /** Acquires parked in Blocking or Timeout mode. */
  readonly waiting: number;
  readonly counters: ManagerCounters;
}
