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
import { type ResourceBudget, type ResourceStats, TypeBudget, validateBudget } from "./budget.js";
import { findWaitCycle, type WaitGraph } from "./deadlock.js";
import { HandleTable, type ResourceEntry, type ResourceHandle } from "./handle-table.js";
import { describeEntry, type LeakReport, type LiveResource } from "./live-resources.js";
import { type PlatformOptions, platformBudgets } from "./platform.js";
import type { BlockPool, PoolStats } from "./pool-config.js";
import { PoolManager } from "./pool-manager.js";
import { type ReleaseTarget, ResourceRef, ScopedResource, SharedResource } from "./resource-ref.js";
import { type AcquireResult, fail, ok } from "./result.js";
import {
  AcquisitionMode,
  allResourceTypes,
  metadataProblem,
  ResourceFlags,
  type ResourceMetadata,
  ResourcePressure,
  ResourcePriority,
  ResourceType,
  resourceTypeName,
} from "./types.js";
import { type Request, WaitRoom } from "./wait-room.js";

export interface ResourceManagerOptions {
  /** Default budgets from the effective memory (see `platformBudgets`). */
  readonly platform?: PlatformOptions;
  /** Deadline for Timeout-mode acquires that pass no `timeoutMs`; 5000 when omitted. */
  readonly defaultTimeoutMs?: number;
  /** Records the acquiring stack of each resource (costly; for finding leaks). */
  readonly debug?: boolean;
  /** Told about leaks: refs collected unreleased, and what `dispose()` found still held. */
  readonly onLeak?: (report: LeakReport) => void;
  /** The clock for ages and deadlines (ms); Date.now when omitted. */
  readonly now?: () => number;
}

export interface AcquireOptions<T> {
  /** Who holds the resource; owners take part in deadlock checks and leak reports. */
  readonly owner?: string;
  /** Builds the value; called after the budget is charged. A throw fails the acquire (HR_UNAVAILABLE). */
  readonly create?: (handle: ResourceHandle) => T;
  /** Called with the value when the last reference is released. Errors are counted. */
  readonly destroy?: (value: T) => void;
  /** Takes a block from this block pool; the value is the block's bytes unless `create` is given. */
  readonly pool?: string;
  /** Deadline for Timeout mode (ms). */
  readonly timeoutMs?: number;
}

/** Callback told when a type's pressure level changes (not on every allocation). */
export type PressureCallback = (type: ResourceType, pressure: ResourcePressure, stats: ResourceStats) => void;
/** Asked to free bytes of `type`; returns how many it freed (checked against the real usage). */
export type ReclamationCallback = (type: ResourceType, requestedBytes: number) => number;

/** Things the manager counted instead of throwing. */
export interface ManagerCounters {
  doubleReleases: number;
  staleReleases: number;
  foreignReleases: number;
  emergencyGrants: number;
  reclaimCalls: number;
  reclaimErrors: number;
  /** Reclamation callbacks that claimed more bytes than usage actually dropped. */
  reclaimOverclaims: number;
  reclaimedBytes: number;
  callbackErrors: number;
  destroyErrors: number;
  leakedRefs: number;
  timeouts: number;
  deadlocks: number;
  failures: number;
}

type SyncMode = typeof AcquisitionMode.NonBlocking | typeof AcquisitionMode.Emergency;
type AsyncMode = typeof AcquisitionMode.Blocking | typeof AcquisitionMode.Timeout;

let nextManagerId = 1;
let defaultInstance: ResourceManager | undefined;

export class ResourceManager implements ReleaseTarget {
  readonly id = nextManagerId++;
  readonly counters: ManagerCounters = {
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
  readonly #table = new HandleTable();
  readonly #budgets = new Map<ResourceType, TypeBudget>();
  readonly #pools = new PoolManager();
  readonly #pressureCallbacks: PressureCallback[] = [];
  readonly #reclaimers = new Map<ResourceType, ReclamationCallback[]>();
  readonly #room: WaitRoom;
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
    for (const type of allResourceTypes) this.#budgets.set(type, new TypeBudget(type));
    if (options.platform !== undefined) {
      for (const [type, budget] of platformBudgets(options.platform)) this.setBudget(type, budget);
    }
    this.#room = new WaitRoom({
      attempt: (req) => this.#attempt(req, false),
      now: this.#now,
      onFailure: (code) => {
        this.counters.failures++;
        if (code === ErrorCode.Timeout) this.counters.timeouts++;
      },
    });
    this.#leaks = new FinalizationRegistry((held) => this.#collected(held.id, held.generation));
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Sets a type's budget. Throws HR_INVALID_ARGUMENT when malformed (reserved above max, bad percents). */
  setBudget(type: ResourceType, budget: ResourceBudget): void {
    const valid = validateBudget(type, budget);
    const b = this.#budgets.get(type)!;
    this.#transition(b, b.configure(valid));
    this.#room.kickType(type);
  }

  getResourceStats(type: ResourceType): ResourceStats | undefined {
    return this.#budgets.get(type)?.stats();
  }

  /** Calls `callback` on every pressure level change; returns a function that unregisters it. */
  registerPressureCallback(callback: PressureCallback): () => void {
    this.#pressureCallbacks.push(callback);
    return () => remove(this.#pressureCallbacks, callback);
  }

  /** Asks `callback` to free bytes when a request of `type` would exceed the budget, before failing it. */
  registerReclamationCallback(type: ResourceType, callback: ReclamationCallback): () => void {
    const list = this.#reclaimers.get(type) ?? [];
    list.push(callback);
    this.#reclaimers.set(type, list);
    return () => remove(list, callback);
  }

  /** Feeds the host's own pressure (PSI, cgroup headroom); a type's level is the higher of its own and this. */
  setHostPressure(level: ResourcePressure, type: ResourceType = ResourceType.Memory): void {
    const b = this.#budgets.get(type);
    if (b === undefined || !(level >= ResourcePressure.None && level <= ResourcePressure.Critical)) return;
    const before = b.effectiveLevel();
    b.hostLevel = level;
    this.#transition(b, before);
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
    const req = this.#request(name, metadata, mode, options as AcquireOptions<unknown>);
    if (!("name" in req)) return this.#failed(req);
    if (mode === AcquisitionMode.NonBlocking || mode === AcquisitionMode.Emergency) {
      return this.#counted(this.#attempt(req, true)) as AcquireResult<ResourceRef<T>>;
    }
    const first = this.#attempt(req, true);
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
    const req = this.#request(name, metadata, options.mode ?? AcquisitionMode.NonBlocking, options);
    if (!("name" in req)) return this.#failed(req);
    const r = this.#counted(this.#attempt(req, true, false));
    return r.ok ? ok(r.value.handle) : r;
  }

  /**
   * Drops the acquirer's reference. False, and counted, for a handle already released, stale,
   * or issued by another manager; a budget is never charged back twice.
   */
  releaseResource(handle: ResourceHandle): boolean {
    const entry = this.#entryOf(handle);
    if (entry === undefined) return false;
    if (!entry.primaryHeld) {
      this.counters.doubleReleases++;
      return false;
    }
    entry.primaryHeld = false;
    this.#drop(entry, entry.owner);
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
    const entry = this.#entryOf(handle);
    if (entry === undefined) {
      return this.#failed(
        fail(ErrorCode.NotFound, `[resources] shareResource: "${handle?.name}" is not live`),
      );
    }
    if (((entry.handle.metadata.flags ?? 0) & ResourceFlags.Shareable) === 0) {
      return this.#failed(
        fail(ErrorCode.SharingFailure, `[resources] "${entry.handle.name}" is not Shareable`, {
          name: entry.handle.name,
          holders: [...entry.owners.keys()],
        }),
      );
    }
    entry.owners.set(ownerName, (entry.owners.get(ownerName) ?? 0) + 1);
    entry.refCount++;
    return ok(new SharedResource(this, entry.handle, ownerName));
  }

  /** @internal Called by SharedResource. */
  releaseShare(handle: ResourceHandle, owner: string): boolean {
    const entry = this.#entryOf(handle);
    if (entry === undefined || !entry.owners.has(owner)) return false;
    this.#drop(entry, owner);
    return true;
  }

  /** @internal Called by refs released twice. */
  countDoubleRelease(): void {
    this.counters.doubleReleases++;
  }

  /** Live resources with owners and ages, oldest first (leak hunting, `GET /api/v1/resources`). */
  listLiveResources(): LiveResource[] {
    const now = this.#now();
    return [...this.#table.entries()].map((e) => describeEntry(e, now)).sort((a, b) => b.ageMs - a.ageMs);
  }

  /** Budgets (types with a limit or usage), live resources, pools, pressure and counters as plain data. */
  report(): ResourcesReport {
    const budgets: ResourceStats[] = [];
    for (const b of this.#budgets.values()) {
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
    for (const entry of [...this.#table.entries()]) this.#free(entry);
    void this.#pools.closeAll();
    if (defaultInstance === this) defaultInstance = undefined;
    return held;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #request(
    name: string,
    metadata: ResourceMetadata,
    mode: AcquisitionMode,
    options: AcquireOptions<unknown>,
  ): Request | AcquireResult<never> {
    if (this.#disposed)
      return fail(ErrorCode.Disposed, `[resources] cannot acquire "${name}": manager is disposed`);
    if (typeof name !== "string" || name.length === 0) {
      return fail(ErrorCode.InvalidArgument, "[resources] resource name must be a non-empty string");
    }
    const problem = metadataProblem(metadata);
    if (problem !== undefined)
      return fail(ErrorCode.InvalidArgument, `[resources] "${name}": ${problem}`, { name });
    if (!Object.values(AcquisitionMode).includes(mode)) {
      return fail(
        ErrorCode.InvalidArgument,
        `[resources] "${name}": unknown acquisition mode ${String(mode)}`,
      );
    }
    let pool: BlockPool | undefined;
    if (options.pool !== undefined) {
      pool = this.#pools.getPool(options.pool);
      if (pool === undefined)
        return fail(ErrorCode.NotFound, `[resources] "${name}": no pool "${options.pool}"`);
      if (metadata.sizeBytes > pool.blockSize) {
        return fail(
          ErrorCode.InvalidArgument,
          `[resources] "${name}": sizeBytes ${metadata.sizeBytes} exceeds pool "${pool.name}" blockSize ${pool.blockSize}`,
        );
      }
    }
    return {
      name,
      metadata,
      mode,
      pool,
      owner: options.owner ?? "",
      create: options.create,
      destroy: options.destroy,
      priority: metadata.priority ?? ResourcePriority.Normal,
    };
  }

  // Grants the request now or says why not (HR_SHARING_FAILURE: name held; HR_BUDGET_EXCEEDED; HR_POOL_FULL).
  #attempt(req: Request, reclaim: boolean, track = true): AcquireResult<ResourceRef<unknown>> {
    const { name, metadata } = req;
    const held = this.#table.byName(name);
    if (held !== undefined) return nameHeld(held);
    const size = metadata.sizeBytes;
    const budget = this.#budgets.get(metadata.type)!;
    const emergency = req.mode === AcquisitionMode.Emergency;
    if (!emergency && !budget.fits(size, req.priority)) {
      if (reclaim) this.#reclaim(budget, budget.shortfall(size, req.priority));
      const again = this.#table.byName(name);
      if (again !== undefined) return nameHeld(again);
      if (!budget.fits(size, req.priority)) {
        const limitBytes =
          req.priority >= ResourcePriority.High ? budget.maxBytes : budget.maxBytes - budget.reservedBytes;
        return fail(
          ErrorCode.BudgetExceeded,
          `[resources] "${name}": ${size} bytes of ${resourceTypeName(metadata.type)} would exceed the budget (${budget.usedBytes} used of ${limitBytes})`,
          {
            name,
            type: resourceTypeName(metadata.type),
            sizeBytes: size,
            usedBytes: budget.usedBytes,
            limitBytes,
          },
        );
      }
    }
    const block = req.pool === undefined ? -1 : req.pool.allocate();
    if (req.pool !== undefined && block < 0) {
      return fail(ErrorCode.PoolFull, `[resources] "${name}": pool "${req.pool.name}" is full`, {
        name,
        pool: req.pool.name,
      });
    }
    const { id, generation } = this.#table.nextSlot();
    const handle: ResourceHandle = Object.freeze({ id, generation, name, metadata, managerId: this.id });
    const entry: ResourceEntry = {
      handle,
      type: metadata.type,
      sizeBytes: size,
      priority: req.priority,
      owner: req.owner,
      owners: new Map([[req.owner, 1]]),
      refCount: 1,
      primaryHeld: true,
      emergency: emergency && !budget.fits(size, req.priority),
      value: undefined,
      destroy: req.destroy,
      poolName: req.pool?.name,
      block,
      createdMs: this.#now(),
      stack: this.#options.debug === true ? new Error("acquired here").stack : undefined,
    };
    this.#table.insert(entry);
    if (entry.emergency) {
      budget.emergencyGrants++;
      this.counters.emergencyGrants++;
    }
    this.#transition(budget, budget.charge(size));
    try {
      entry.value = req.create !== undefined ? req.create(handle) : req.pool?.view(block);
    } catch (cause) {
      this.#free(entry, false);
      return fail(ErrorCode.Unavailable, `[resources] "${name}": create threw`, { name }, cause);
    }
    const ref = new ResourceRef<unknown>(this, handle, entry.value);
    if (track) this.#leaks.register(ref, { id, generation });
    return ok(ref);
  }

  #reclaim(budget: TypeBudget, needed: number): void {
    for (const callback of this.#reclaimers.get(budget.type) ?? []) {
      const before = budget.usedBytes;
      this.counters.reclaimCalls++;
      let claimed = 0;
      try {
        claimed = Number(callback(budget.type, needed));
      } catch {
        this.counters.reclaimErrors++;
      }
      const freed = Math.max(0, before - budget.usedBytes);
      this.counters.reclaimedBytes += freed;
      if (claimed > freed) this.counters.reclaimOverclaims++;
      needed -= freed;
      if (needed <= 0) return;
    }
  }

  #entryOf(handle: ResourceHandle): ResourceEntry | undefined {
    if (handle === null || typeof handle !== "object" || handle.managerId !== this.id) {
      this.counters.foreignReleases++;
      return undefined;
    }
    const entry = this.#table.get(handle);
    if (entry === undefined) this.counters.staleReleases++;
    return entry;
  }

  #drop(entry: ResourceEntry, owner: string): void {
    const count = (entry.owners.get(owner) ?? 1) - 1;
    if (count <= 0) entry.owners.delete(owner);
    else entry.owners.set(owner, count);
    if (--entry.refCount <= 0) this.#free(entry);
  }

  #free(entry: ResourceEntry, destroy = true): void {
    this.#table.remove(entry);
    const budget = this.#budgets.get(entry.type)!;
    this.#transition(budget, budget.credit(entry.sizeBytes));
    const pool = entry.poolName === undefined ? undefined : this.#pools.getPool(entry.poolName);
    if (pool !== undefined) pool.free(entry.block);
    if (destroy && entry.destroy !== undefined) {
      try {
        entry.destroy(entry.value);
      } catch {
        this.counters.destroyErrors++;
      }
    }
    this.#room.released(entry.handle.name, entry.type, entry.poolName);
  }

  #transition(budget: TypeBudget, before: ResourcePressure): void {
    const after = budget.effectiveLevel();
    if (after === before || this.#pressureCallbacks.length === 0) return;
    const stats = budget.stats();
    for (const callback of [...this.#pressureCallbacks]) {
      try {
        callback(budget.type, after, stats);
      } catch {
        this.counters.callbackErrors++;
      }
    }
  }

  #collected(id: number, generation: number): void {
    const entry = this.#table.at(id, generation);
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
      const e = this.#table.byName(name);
      return e === undefined ? [] : [...e.owners.keys()].filter((o) => o !== "");
    },
    waitsOf: (owner) => this.#room.waitsOf(owner),
  };
}

/** Plain data for `GET /api/v1/resources`. */
export interface ResourcesReport {
  readonly disposed: boolean;
  readonly budgets: ResourceStats[];
  readonly resources: LiveResource[];
  readonly pools: PoolStats[];
  /** Acquires parked in Blocking or Timeout mode. */
  readonly waiting: number;
  readonly counters: ManagerCounters;
}

export function createResourceManager(options: ResourceManagerOptions = {}): ResourceManager {
  return new ResourceManager(options);
}

function nameHeld(entry: ResourceEntry): AcquireResult<never> {
  const holders = [...entry.owners.keys()];
  return fail(
    ErrorCode.SharingFailure,
    `[resources] "${entry.handle.name}" is held by ${holders.map((h) => h || "(anonymous)").join(", ")}`,
    { name: entry.handle.name, holders },
  );
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
