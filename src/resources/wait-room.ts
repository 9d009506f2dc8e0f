/**
 * Where Blocking and Timeout acquires wait: one FIFO per resource name, per type's budget and
 * per pool. A release wakes the queues it can unblock; each drains from its head, and a head
 * that still cannot be granted keeps its place (no barging past it from the same queue).
 *
 * Deadlines are kept two ways: a timer per waiter, and a clock check whenever a waiter reaches
 * the head of a drain. The second makes the deadline hold even when the process is so busy
 * handing resources around in microtasks that timers do not get to run.
 */
import { ErrorCode } from "../errors.js";
import type { Request } from "./request.js";
import type { ResourceRef } from "./resource-ref.js";
import { type AcquireResult, fail } from "./result.js";
import type { ResourceType } from "./types.js";
import { type Waiter, WaitQueue } from "./wait-queue.js";

type Result = AcquireResult<ResourceRef<unknown>>;

interface Parked extends Waiter {
  readonly req: Request;
  readonly resolve: (r: Result) => void;
  readonly deadline: number;
  readonly timeoutMs: number | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  queue: WaitQueue<Parked>;
  /** The name this waiter waits for, when parked on a name queue. */
  onName: string | undefined;
}

export interface WaitRoomHooks {
  /** Tries to grant a request now, without reclamation. */
  attempt(req: Request): Result;
  now(): number;
  /** Told of each waiter that ends in failure (timeout, hard failure, disposal). */
  onFailure(code: ErrorCode): void;
}

export class WaitRoom {
  #hooks: WaitRoomHooks;
  #byName = new Map<string, WaitQueue<Parked>>();
  #byType = new Map<ResourceType, WaitQueue<Parked>>();
  #byPool = new Map<string, WaitQueue<Parked>>();
  #waits = new Map<string, Map<string, number>>();
  #dirty = new Set<WaitQueue<Parked>>();
  #draining = false;
  #size = 0;

  constructor(hooks: WaitRoomHooks) {
    this.#hooks = hooks;
  }

  /** True for the failures that a wait can outlast. */
  static blocks(code: ErrorCode): boolean {
    return (
      code === ErrorCode.SharingFailure || code === ErrorCode.BudgetExceeded || code === ErrorCode.PoolFull
    );
  }

  get size(): number {
    return this.#size;
  }

  /** Parks `req`, blocked for the reason `code` says, until granted, failed or past `timeoutMs`. */
  wait(req: Request, code: ErrorCode, timeoutMs: number | undefined): Promise<Result> {
    return new Promise<Result>((resolve) => {
      const queue = this.#queueFor(req, code)!;
      const w: Parked = {
        settled: false,
        req,
        resolve,
        timeoutMs,
        deadline: timeoutMs === undefined ? Number.POSITIVE_INFINITY : this.#hooks.now() + timeoutMs,
        timer: undefined,
        queue,
        onName: undefined,
      };
      this.#park(w, queue, code);
      this.#size++;
      if (timeoutMs !== undefined) w.timer = setTimeout(() => this.#expire(w), timeoutMs);
    });
  }

  /** Wakes the queues a release of this name, type and pool may unblock. */
  released(name: string, type: ResourceType, pool: string | undefined): void {
    const byName = this.#byName.get(name);
    if (byName !== undefined) this.#dirty.add(byName);
    const byType = this.#byType.get(type);
    if (byType !== undefined) this.#dirty.add(byType);
    const byPool = pool === undefined ? undefined : this.#byPool.get(pool);
    if (byPool !== undefined) this.#dirty.add(byPool);
    if (this.#dirty.size > 0) this.#drain();
    if (byName !== undefined) this.#prune(name);
  }

  // Names are open-ended (one per texture, connection...), so an empty name queue is dropped;
  // types and pools are few and keep theirs.
  #prune(name: string): void {
    const q = this.#byName.get(name);
    if (q !== undefined && !this.#draining && q.peek() === undefined) this.#byName.delete(name);
  }

  /** Wakes the budget queue of `type` (its budget was raised). */
  kickType(type: ResourceType): void {
    const q = this.#byType.get(type);
    if (q === undefined) return;
    this.#dirty.add(q);
    this.#drain();
  }

  /** Names `owner` is parked on now (for deadlock checks). */
  waitsOf(owner: string): Iterable<string> {
    return this.#waits.get(owner)?.keys() ?? [];
  }

  /** Fails every waiter with the result `make` builds. */
  failAll(make: () => Result): void {
    for (const map of [this.#byName, this.#byType, this.#byPool]) {
      for (const q of map.values()) for (const w of q.pending()) this.#settle(w, make());
      map.clear();
    }
  }

  #queueFor(req: Request, code: ErrorCode): WaitQueue<Parked> | undefined {
    if (code === ErrorCode.SharingFailure) return getOrAdd(this.#byName, req.name);
    if (code === ErrorCode.BudgetExceeded) return getOrAdd(this.#byType, req.metadata.type);
    if (code === ErrorCode.PoolFull && req.pool !== undefined) return getOrAdd(this.#byPool, req.pool.name);
    return undefined;
  }

  #park(w: Parked, queue: WaitQueue<Parked>, code: ErrorCode): void {
    w.queue = queue;
    queue.push(w);
    if (code === ErrorCode.SharingFailure && w.req.owner !== "") {
      w.onName = w.req.name;
      const names = getOrAdd(this.#waits, w.req.owner, () => new Map<string, number>());
      names.set(w.req.name, (names.get(w.req.name) ?? 0) + 1);
    }
  }

  #unpark(w: Parked): void {
    if (w.onName === undefined) return;
    const names = this.#waits.get(w.req.owner);
    const n = (names?.get(w.onName) ?? 1) - 1;
    if (n > 0) names!.set(w.onName, n);
    else names?.delete(w.onName);
    if (names?.size === 0) this.#waits.delete(w.req.owner);
    w.onName = undefined;
  }

  #settle(w: Parked, r: Result): void {
    if (w.settled) return;
    w.settled = true;
    this.#size--;
    if (w.timer !== undefined) clearTimeout(w.timer);
    this.#unpark(w);
    if (!r.ok) this.#hooks.onFailure(r.error.code);
    w.resolve(r);
  }

  #expire(w: Parked): void {
    if (w.settled) return;
    this.#settle(w, timedOut(w));
    // The expired waiter may have been the head holding others back.
    this.#dirty.add(w.queue);
    this.#drain();
    this.#prune(w.req.name);
  }

  // Re-entrant calls (a grant's create or a pressure callback releasing something) only mark
  // queues dirty; the outermost drain processes them, so a waiter is never attempted twice at once.
  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (this.#dirty.size > 0) {
        const q: WaitQueue<Parked> = this.#dirty.values().next().value!;
        this.#dirty.delete(q);
        this.#drainQueue(q);
      }
    } finally {
      this.#draining = false;
    }
  }

  #drainQueue(q: WaitQueue<Parked>): void {
    for (let w = q.peek(); w !== undefined; w = q.peek()) {
      if (w.deadline !== Number.POSITIVE_INFINITY && this.#hooks.now() >= w.deadline) {
        q.shift();
        this.#settle(w, timedOut(w));
        continue;
      }
      const r = this.#hooks.attempt(w.req);
      if (r.ok) {
        q.shift();
        this.#settle(w, r);
        continue;
      }
      const next = WaitRoom.blocks(r.error.code) ? this.#queueFor(w.req, r.error.code) : undefined;
      if (next === q) return;
      q.shift();
      if (next === undefined) {
        this.#settle(w, r);
      } else {
        this.#unpark(w);
        this.#park(w, next, r.error.code);
      }
    }
  }
}

function timedOut(w: Parked): Result {
  return fail(ErrorCode.Timeout, `[resources] "${w.req.name}" not granted within ${w.timeoutMs} ms`, {
    name: w.req.name,
    timeoutMs: w.timeoutMs,
  });
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make?: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make === undefined ? (new WaitQueue<Parked>() as V) : make();
    map.set(key, v);
  }
  return v;
}
