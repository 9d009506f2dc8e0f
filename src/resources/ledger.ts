/**
 * The manager's books: live resources, per-type budgets, and the one path that grants a
 * request, charges its bytes and frees them again. Every grant and free goes through here so
 * usage always equals the sum of live resources and never goes negative; pressure transitions
 * and reclamation are decided here too. Internal to the manager.
 */
import { ErrorCode } from "../errors.js";
import { TypeBudget } from "./budget.js";
import { HandleTable, holdersOf, type ResourceEntry, type ResourceHandle } from "./handle-table.js";
import type { ManagerCounters, PressureCallback, ReclamationCallback } from "./manager-types.js";
import type { PoolManager } from "./pool-manager.js";
import type { Request } from "./request.js";
import { type ReleaseTarget, ResourceRef } from "./resource-ref.js";
import { type AcquireResult, fail, ok } from "./result.js";
import {
  AcquisitionMode,
  allResourceTypes,
  type ResourcePressure,
  ResourcePriority,
  type ResourceType,
  resourceTypeName,
} from "./types.js";

/** What the ledger needs from the manager around it. */
export interface LedgerHooks {
  readonly target: ReleaseTarget;
  readonly pools: PoolManager;
  /** Registers a new ref for leak detection. */
  track(ref: object, id: number, generation: number): void;
  /** Told after a resource is freed, to wake waiters. */
  released(name: string, type: ResourceType, pool: string | undefined): void;
}

export class Ledger {
  readonly table = new HandleTable();
  readonly budgets = new Map<ResourceType, TypeBudget>();
  readonly pressureCallbacks: PressureCallback[] = [];
  readonly reclaimers = new Map<ResourceType, ReclamationCallback[]>();
  readonly counters: ManagerCounters;
  readonly #managerId: number;
  readonly #debug: boolean;
  readonly #now: () => number;
  readonly #hooks: LedgerHooks;

  constructor(
    managerId: number,
    counters: ManagerCounters,
    now: () => number,
    debug: boolean,
    hooks: LedgerHooks,
  ) {
    this.#managerId = managerId;
    this.counters = counters;
    this.#now = now;
    this.#debug = debug;
    this.#hooks = hooks;
    for (const type of allResourceTypes) this.budgets.set(type, new TypeBudget(type));
  }

  // Grants the request now or says why not (HR_SHARING_FAILURE: name held; HR_BUDGET_EXCEEDED; HR_POOL_FULL).
  attempt(req: Request, reclaim: boolean, track = true): AcquireResult<ResourceRef<unknown>> {
    const { name, metadata } = req;
    const held = this.table.byName(name);
    if (held !== undefined) return nameHeld(held);
    const size = metadata.sizeBytes;
    const budget = this.budgets.get(metadata.type)!;
    const emergency = req.mode === AcquisitionMode.Emergency;
    if (!emergency && !budget.fits(size, req.priority)) {
      if (reclaim) this.#reclaim(budget, budget.shortfall(size, req.priority));
      const again = this.table.byName(name);
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
    const { id, generation } = this.table.nextSlot();
    const handle: ResourceHandle = Object.freeze({
      id,
      generation,
      name,
      metadata,
      managerId: this.#managerId,
    });
    const entry: ResourceEntry = {
      handle,
      type: metadata.type,
      sizeBytes: size,
      priority: req.priority,
      owner: req.owner,
      shares: undefined,
      refCount: 1,
      primaryHeld: true,
      emergency: emergency && !budget.fits(size, req.priority),
      value: undefined,
      destroy: req.destroy,
      poolName: req.pool?.name,
      block,
      createdMs: this.#now(),
      stack: this.#debug ? new Error("acquired here").stack : undefined,
    };
    this.table.insert(entry);
    if (entry.emergency) {
      budget.emergencyGrants++;
      this.counters.emergencyGrants++;
    }
    this.transition(budget, budget.charge(size));
    try {
      entry.value = req.create !== undefined ? req.create(handle) : req.pool?.view(block);
    } catch (cause) {
      this.free(entry, false);
      return fail(ErrorCode.Unavailable, `[resources] "${name}": create threw`, { name }, cause);
    }
    const ref = new ResourceRef<unknown>(this.#hooks.target, handle, entry.value);
    if (track) this.#hooks.track(ref, id, generation);
    return ok(ref);
  }

  #reclaim(budget: TypeBudget, needed: number): void {
    for (const callback of this.reclaimers.get(budget.type) ?? []) {
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

  entryOf(handle: ResourceHandle): ResourceEntry | undefined {
    if (handle === null || typeof handle !== "object" || handle.managerId !== this.#managerId) {
      this.counters.foreignReleases++;
      return undefined;
    }
    const entry = this.table.get(handle);
    if (entry === undefined) this.counters.staleReleases++;
    return entry;
  }

  /** Drops one reference: the acquirer's (`owner` undefined, after clearing `primaryHeld`) or one share of `owner`. */
  drop(entry: ResourceEntry, owner?: string): void {
    if (owner !== undefined && entry.shares !== undefined) {
      const count = (entry.shares.get(owner) ?? 1) - 1;
      if (count <= 0) entry.shares.delete(owner);
      else entry.shares.set(owner, count);
    }
    if (--entry.refCount <= 0) this.free(entry);
  }

  free(entry: ResourceEntry, destroy = true): void {
    this.table.remove(entry);
    const budget = this.budgets.get(entry.type)!;
    this.transition(budget, budget.credit(entry.sizeBytes));
    const pool = entry.poolName === undefined ? undefined : this.#hooks.pools.getPool(entry.poolName);
    if (pool !== undefined) pool.free(entry.block);
    if (destroy && entry.destroy !== undefined) {
      try {
        entry.destroy(entry.value);
      } catch {
        this.counters.destroyErrors++;
      }
    }
    this.#hooks.released(entry.handle.name, entry.type, entry.poolName);
  }

  transition(budget: TypeBudget, before: ResourcePressure): void {
    const after = budget.effectiveLevel();
    if (after === before || this.pressureCallbacks.length === 0) return;
    const stats = budget.stats();
    for (const callback of [...this.pressureCallbacks]) {
      try {
        callback(budget.type, after, stats);
      } catch {
        this.counters.callbackErrors++;
      }
    }
  }
}

function nameHeld(entry: ResourceEntry): AcquireResult<never> {
  const holders = holdersOf(entry);
  return fail(
    ErrorCode.SharingFailure,
    `[resources] "${entry.handle.name}" is held by ${holders.map((h) => h || "(anonymous)").join(", ")}`,
    { name: entry.handle.name, holders },
  );
}
