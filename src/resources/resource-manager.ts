/**
 * The seed's ResourceManager: typed resources charged to per-type budgets, pressure and
 * reclamation callbacks, the four acquisition modes, sharing between owners with deadlock
 * checks, pools and leak detection. Create one with `createResourceManager(options)` and pass
 * it explicitly; `ResourceManager.instance()` is a convenience for code that wants one per
 * process.
 *
 * Resource names are unique among live resources: a name is a resource, so a second acquire of
 * a held name is refused (NonBlocking), or waits until it is released (Blocking, Timeout), or
 * shares it (`shareResource`). Waiting is FIFO per name, per type's budget and per pool.
 */
import { ErrorCode } from "../errors.js";
import { type ResourceBudget, type ResourceStats, validateBudget } from "./budget.js";
import { findWaitCycle, type WaitGraph } from "./deadlock.js";
import { holdersOf, type ResourceHandle } from "./handle-table.js";
import { Ledger } from "./ledger.js";
import { describeEntry, type LeakReport, type LiveResource } from "./live-resources.js";
import {
  type AcquireOptions,
  type ManagerCounters,
  newCounters,
  type PressureCallback,
  type ReclamationCallback,
  type ResourceManagerOptions,
  type ResourcesReport,
} from "./manager-types.js";
import { platformBudgets } from "./platform.js";
import { PoolManager } from "./pool-manager.js";
import { buildRequest, disposedFailure } from "./request.js";
import { instrumentResourceManager } from "./resource-metrics.js";
import { type ReleaseTarget, type ResourceRef, ScopedResource, SharedResource } from "./resource-ref.js";
import { type AcquireResult, fail, ok } from "./result.js";
import {
  AcquisitionMode,
  ResourceFlags,
  type ResourceMetadata,
  ResourcePressure,
  ResourceType,
} from "./types.js";
import { WaitRoom } from "./wait-room.js";

type SyncMode = typeof AcquisitionMode.NonBlocking | typeof AcquisitionMode.Emergency;
type AsyncMode = typeof AcquisitionMode.Blocking | typeof AcquisitionMode.Timeout;

let nextManagerId = 1;
let defaultInstance: ResourceManager | undefined;

export class ResourceManager implements ReleaseTarget {
  readonly id = nextManagerId++;
  /** Things counted instead of thrown; read-only for callers. */
  readonly counters: ManagerCounters = newCounters();
  readonly #pools = new PoolManager();
  readonly #room: WaitRoom;
  readonly #ledger: Ledger;
  readonly #leaks: FinalizationRegistry<{ id: number; generation: number }>;
  readonly #options: ResourceManagerOptions;
  readonly #now: () => number;
  #disposed = false;

  /** The process-wide manager, created on first use with no platform budgets. Tests never use it. */
  static instance(): ResourceManager {
    defaultInstance ??= new ResourceManager();
    return defaultInstance;
  }

  constructor(options: ResourceManagerOptions = {}) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#leaks = new FinalizationRegistry((held) => this.#collected(held.id, held.generation));
    this.#ledger = new Ledger(this.id, this.counters, this.#now, options.debug === true, {
      target: this,
      pools: this.#pools,
      track: (ref, id, generation) => this.#leaks.register(ref, { id, generation }),
      released: (name, type, pool) => this.#room.released(name, type, pool),
    });
    this.#room = new WaitRoom({
      attempt: (req) => this.#ledger.attempt(req, false),
      now: this.#now,
      onFailure: (code) => {
        this.counters.failures++;
        if (code === ErrorCode.Timeout) this.counters.timeouts++;
      },
    });
    if (options.platform !== undefined) {
      for (const [type, budget] of platformBudgets(options.platform)) this.setBudget(type, budget);
    }
    if (options.registry !== undefined) instrumentResourceManager(this, options.registry);
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Sets a type's budget. Throws HR_INVALID_ARGUMENT when malformed (reserved above max, bad percents). */
  setBudget(type: ResourceType, budget: ResourceBudget): void {
    const valid = validateBudget(type, budget);
    const b = this.#ledger.budgets.get(type)!;
    this.#ledger.transition(b, b.configure(valid));
    this.#room.kickType(type);
  }

  getResourceStats(type: ResourceType): ResourceStats | undefined {
    return this.#ledger.budgets.get(type)?.stats();
  }

  /** Calls `callback` on every pressure level change; returns a function that unregisters it. */
  registerPressureCallback(callback: PressureCallback): () => void {
    this.#ledger.pressureCallbacks.push(callback);
    return () => remove(this.#ledger.pressureCallbacks, callback);
  }

  /** Asks `callback` to free bytes when a request of `type` would exceed the budget, before failing it. */
  registerReclamationCallback(type: ResourceType, callback: ReclamationCallback): () => void {
    const list = this.#ledger.reclaimers.get(type) ?? [];
    list.push(callback);
    this.#ledger.reclaimers.set(type, list);
    return () => remove(list, callback);
  }

  /** Feeds the host's own pressure (PSI, cgroup headroom); a type's level is the higher of its own and this. */
  setHostPressure(level: ResourcePressure, type: ResourceType = ResourceType.Memory): void {
    const b = this.#ledger.budgets.get(type);
    if (b === undefined || !(level >= ResourcePressure.None && level <= ResourcePressure.Critical)) return;
    const before = b.effectiveLevel();
    b.hostLevel = level;
    this.#ledger.transition(b, before);
  }

  poolManager(): PoolManager {
    return this.#pools;
  }

  /** Acquires a resource. NonBlocking and Emergency answer at once; Blocking and Timeout return a promise. */
  acquireResource<T = unknown>(
    name: string,
    metadata: ResourceMetadata,
    mode?: SyncMode,
    options?: AcquireOptions<T>,
  ): AcquireResult<ResourceRef<T>>;
  acquireResource<T = unknown>(
    name: string,
    metadata: ResourceMetadata,
    mode: AsyncMode,
    options?: AcquireOptions<T>,
  ): Promise<AcquireResult<ResourceRef<T>>>;
  acquireResource<T = unknown>(
    name: string,
    metadata: ResourceMetadata,
    mode?: AcquisitionMode,
    options?: AcquireOptions<T>,
  ): AcquireResult<ResourceRef<T>> | Promise<AcquireResult<ResourceRef<T>>>;
  acquireResource<T = unknown>(
    name: string,
    metadata: ResourceMetadata,
    mode: AcquisitionMode = AcquisitionMode.NonBlocking,
    options: AcquireOptions<T> = {},
  ): AcquireResult<ResourceRef<T>> | Promise<AcquireResult<ResourceRef<T>>> {
    const req = this.#disposed
      ? disposedFailure(name)
      : buildRequest(this.#pools, name, metadata, mode, options as AcquireOptions<unknown>);
    if (!("name" in req)) return this.#failed(req);
    if (mode === AcquisitionMode.NonBlocking || mode === AcquisitionMode.Emergency) {
      return this.#counted(this.#ledger.attempt(req, true)) as AcquireResult<ResourceRef<T>>;
    }
    const first = this.#ledger.attempt(req, true);
    if (first.ok || !WaitRoom.blocks(first.error.code)) {
      return Promise.resolve(this.#counted(first) as AcquireResult<ResourceRef<T>>);
    }
    if (first.error.code === ErrorCode.SharingFailure && req.owner !== "") {
      const cycle = findWaitCycle(this.#graph, req.owner, req.name);
      if (cycle !== undefined) {
        this.counters.deadlocks++;
        return Promise.resolve(
          this.#failed(
            fail(
              ErrorCode.Deadlock,
              `[resources] acquiring "${name}" would deadlock: ${cycle.join(" -> ")}`,
              {
                name,
                cycle,
              },
            ),
          ),
        );
      }
    }
    const timeoutMs =
      mode === AcquisitionMode.Timeout
        ? (options.timeoutMs ?? this.#options.defaultTimeoutMs ?? 5000)
        : undefined;
    return this.#room.wait(req, first.error.code, timeoutMs) as Promise<AcquireResult<ResourceRef<T>>>;
  }

  /** As `acquireResource`, with an untyped ScopedResource. */
  acquireScopedResource(
    name: string,
    metadata: ResourceMetadata,
    mode?: SyncMode,
    options?: AcquireOptions<unknown>,
  ): AcquireResult<ScopedResource>;
  acquireScopedResource(
    name: string,
    metadata: ResourceMetadata,
    mode: AsyncMode,
    options?: AcquireOptions<unknown>,
  ): Promise<AcquireResult<ScopedResource>>;
  acquireScopedResource(
    name: string,
    metadata: ResourceMetadata,
    mode: AcquisitionMode = AcquisitionMode.NonBlocking,
    options: AcquireOptions<unknown> = {},
  ): AcquireResult<ScopedResource> | Promise<AcquireResult<ScopedResource>> {
    const wrap = (r: AcquireResult<ResourceRef<unknown>>): AcquireResult<ScopedResource> =>
      r.ok ? ok(new ScopedResource(r.value)) : r;
    const r = this.acquireResource(name, metadata, mode, options);
    return r instanceof Promise ? r.then(wrap) : wrap(r);
  }

  /** Manual form: charges the budget and returns a bare handle; pair with `releaseResource`. */
  registerResource(
    name: string,
    metadata: ResourceMetadata,
    options: AcquireOptions<unknown> & { mode?: SyncMode } = {},
  ): AcquireResult<ResourceHandle> {
    const req = this.#disposed
      ? disposedFailure(name)
      : buildRequest(this.#pools, name, metadata, options.mode ?? AcquisitionMode.NonBlocking, options);
    if (!("name" in req)) return this.#failed(req);
    const r = this.#counted(this.#ledger.attempt(req, true, false));
    return r.ok ? ok(r.value.handle) : r;
  }

  /**
   * Drops the acquirer's reference. False, and counted, for a handle already released, stale,
   * or issued by another manager; a budget is never charged back twice.
   */
  releaseResource(handle: ResourceHandle): boolean {
    const entry = this.#ledger.entryOf(handle);
    if (entry === undefined) return false;
    if (!entry.primaryHeld) {
      this.counters.doubleReleases++;
      return false;
    }
    entry.primaryHeld = false;
    this.#ledger.drop(entry);
    return true;
  }

  /** Shares a Shareable resource with `ownerName`; it lives until every owner released. */
  shareResource(handle: ResourceHandle, ownerName: string): AcquireResult<SharedResource> {
    if (this.#disposed) return this.#failed(fail(ErrorCode.Disposed, "[resources] manager is disposed"));
    if (typeof ownerName !== "string" || ownerName.length === 0) {
      return this.#failed(
        fail(ErrorCode.InvalidArgument, "[resources] shareResource: ownerName must be non-empty"),
      );
    }
    const entry = this.#ledger.entryOf(handle);
    if (entry === undefined) {
      return this.#failed(
        fail(ErrorCode.NotFound, `[resources] shareResource: "${handle?.name}" is not live`),
      );
    }
    if (((entry.handle.metadata.flags ?? 0) & ResourceFlags.Shareable) === 0) {
      return this.#failed(
        fail(ErrorCode.SharingFailure, `[resources] "${entry.handle.name}" is not Shareable`, {
          name: entry.handle.name,
          holders: holdersOf(entry),
        }),
      );
    }
    entry.shares ??= new Map();
    entry.shares.set(ownerName, (entry.shares.get(ownerName) ?? 0) + 1);
    entry.refCount++;
    return ok(new SharedResource(this, entry.handle, ownerName));
  }

  /** @internal Called by SharedResource. */
  releaseShare(handle: ResourceHandle, owner: string): boolean {
    const entry = this.#ledger.entryOf(handle);
    if (entry === undefined || entry.shares?.has(owner) !== true) return false;
    this.#ledger.drop(entry, owner);
    return true;
  }

  /** @internal Called by refs released twice. */
  countDoubleRelease(): void {
    this.counters.doubleReleases++;
  }

  /** Live resources with owners and ages, oldest first (leak hunting, `GET /api/v1/resources`). */
  listLiveResources(): LiveResource[] {
    const now = this.#now();
    return [...this.#ledger.table.entries()]
      .map((e) => describeEntry(e, now))
      .sort((a, b) => b.ageMs - a.ageMs);
  }

  /** Budgets (types with a limit or usage), live resources, pools, pressure and counters as plain data. */
  report(): ResourcesReport {
    const budgets: ResourceStats[] = [];
    for (const b of this.#ledger.budgets.values()) {
      if (b.maxBytes !== Number.POSITIVE_INFINITY || b.allocationCount > 0 || b.hostLevel > 0)
        budgets.push(b.stats());
    }
    return {
      disposed: this.#disposed,
      budgets,
      resources: this.listLiveResources(),
      pools: this.#pools.listPoolStats(),
      waiting: this.#room.size,
      counters: { ...this.counters },
    };
  }

  /**
   * Disposes the manager: waiters fail with HR_DISPOSED, later acquires too; what is still held
   * is reported to `onLeak` and returned, then freed (its `destroy` runs) so budgets end at zero.
   */
  dispose(): LiveResource[] {
    if (this.#disposed) return [];
    this.#disposed = true;
    this.#room.failAll(() => fail(ErrorCode.Disposed, "[resources] manager was disposed while waiting"));
    const held = this.listLiveResources();
    if (held.length > 0) this.#tell({ kind: "held-at-dispose", resources: held });
    for (const entry of [...this.#ledger.table.entries()]) this.#ledger.free(entry);
    void this.#pools.closeAll();
    if (defaultInstance === this) defaultInstance = undefined;
    return held;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  // Grants the request now or says why not (HR_SHARING_FAILURE: name held; HR_BUDGET_EXCEEDED; HR_POOL_FULL).
  #collected(id: number, generation: number): void {
    const entry = this.#ledger.table.at(id, generation);
    if (entry === undefined || !entry.primaryHeld) return;
    this.counters.leakedRefs++;
    this.#tell({ kind: "collected-unreleased", resources: [describeEntry(entry, this.#now())] });
  }

  #tell(report: LeakReport): void {
    try {
      this.#options.onLeak?.(report);
    } catch {
      this.counters.callbackErrors++;
    }
  }

  #counted<T>(r: AcquireResult<T>): AcquireResult<T> {
    if (!r.ok) this.counters.failures++;
    return r;
  }

  #failed<T>(r: AcquireResult<T>): AcquireResult<T> {
    this.counters.failures++;
    return r;
  }

  readonly #graph: WaitGraph = {
    holdersOf: (name) => {
      const e = this.#ledger.table.byName(name);
      return e === undefined ? [] : holdersOf(e).filter((o) => o !== "");
    },
    waitsOf: (owner) => this.#room.waitsOf(owner),
  };
}

export function createResourceManager(options: ResourceManagerOptions = {}): ResourceManager {
  return new ResourceManager(options);
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
