/**
 * The object pool's FIFO of pending acquires.
 *
 * Every acquire on an exhausted pool passes through here, so a waiter costs one promise and
 * two array slots: no closure, no record. Its resolver and holder sit in parallel arrays (and
 * its stack and timer too, only in pools that capture stacks or time acquires out). A waiter
 * that timed out keeps its place with its resolver cleared and is skipped when reached, so
 * timing out is O(1). Failing a waiter resolves it with a rejected promise, which rejects it
 * just as a stored `reject` would, without storing one per waiter.
 */
import { ErrorCode, HeadroomError } from "../errors.js";

type Resolver<T> = (value: T | Promise<never>) => void;

// The executor of every pending acquire: it parks the resolver here and `wait` takes it at
// once (an executor runs synchronously inside the Promise constructor).
let parked: Resolver<never> | undefined;
function park(resolve: Resolver<never>): void {
  parked = resolve;
}

export class AcquireQueue<T> {
  #resolvers: (Resolver<T> | undefined)[] = [];
  #holders: string[] = [];
  #stacks: (string | undefined)[] = [];
  #timers: (ReturnType<typeof setTimeout> | undefined)[] = [];
  #head = 0;
  /** Entries dropped off the front so far: an entry's sequence number less this is its index. */
  #dropped = 0;
  #pending = 0;
  readonly #pool: string;
  readonly #timeoutMs: number | undefined;
  readonly #keepsStacks: boolean;
  /** Holder of the waiter the last successful `serve` handed its object to. */
  servedHolder = "";
  /** That waiter's acquiring stack, when the pool captures stacks. */
  servedStack: string | undefined = undefined;

  /** `timeoutMs`: how long a waiter waits before failing with HR_TIMEOUT (none when undefined). */
  constructor(pool: string, timeoutMs: number | undefined, keepsStacks: boolean) {
    this.#pool = pool;
    this.#timeoutMs = timeoutMs;
    this.#keepsStacks = keepsStacks;
  }

  /** Waiters not yet served, failed or timed out. */
  get pending(): number {
    return this.#pending;
  }

  /** Parks an acquire. `stack` is kept only when the queue keeps stacks. */
  wait(holder: string, stack: string | undefined): Promise<T> {
    const promise = new Promise<T>(park);
    this.#resolvers.push(parked as Resolver<T>);
    this.#holders.push(holder);
    if (this.#keepsStacks) this.#stacks.push(stack);
    this.#pending++;
    if (this.#timeoutMs !== undefined) {
      const seq = this.#dropped + this.#resolvers.length - 1;
      const ms = this.#timeoutMs;
      this.#timers.push(setTimeout(() => this.#timeOut(seq, ms), ms));
    }
    return promise;
  }

  /**
   * Hands `obj` to the oldest waiter (then `servedHolder`/`servedStack` say who it was) and
   * returns true, or returns false when nobody waits and the caller keeps the object.
   */
  serve(obj: T): boolean {
    if (this.#pending === 0) return false;
    const resolve = this.#next();
    if (resolve === undefined) return false;
    resolve(obj);
    return true;
  }

  /** Fails every waiter with `err`. */
  failAll(err: unknown): void {
    for (let resolve = this.#next(); resolve !== undefined; resolve = this.#next()) resolve(rejection(err));
  }

  // Takes the oldest waiter still parked off the queue: its resolver, with its holder and
  // stack left in servedHolder/servedStack. Undefined when none is left.
  #next(): Resolver<T> | undefined {
    const resolvers = this.#resolvers;
    while (this.#head < resolvers.length) {
      const i = this.#head++;
      const resolve = resolvers[i];
      if (resolve === undefined) continue;
      resolvers[i] = undefined;
      this.#pending--;
      this.servedHolder = this.#holders[i];
      if (this.#keepsStacks) this.servedStack = this.#stacks[i];
      if (this.#timeoutMs !== undefined) clearTimeout(this.#timers[i]);
      // A pool under constant contention never empties its queue: drop the served prefix now
      // and then so the arrays do not grow with every acquire ever made.
      if (this.#head > 1024 && this.#head * 2 > resolvers.length) this.#dropFront();
      return resolve;
    }
    if (this.#head > 0) this.#dropFront();
    return undefined;
  }

  #dropFront(): void {
    const n = this.#head;
    this.#resolvers = this.#resolvers.slice(n);
    this.#holders = this.#holders.slice(n);
    if (this.#keepsStacks) this.#stacks = this.#stacks.slice(n);
    if (this.#timeoutMs !== undefined) this.#timers = this.#timers.slice(n);
    this.#dropped += n;
    this.#head = 0;
  }

  #timeOut(seq: number, ms: number): void {
    const i = seq - this.#dropped;
    const resolve = this.#resolvers[i];
    if (i < this.#head || resolve === undefined) return;
    this.#resolvers[i] = undefined;
    this.#pending--;
    resolve(
      rejection(
        new HeadroomError(ErrorCode.Timeout, `[resources:pool] "${this.#pool}": no object within ${ms} ms`, {
          data: { pool: this.#pool, timeoutMs: ms },
        }),
      ),
    );
  }
}

/**
 * A rejected promise for a waiter to adopt. The waiter's own promise carries the rejection to
 * the caller; the handler here only keeps this inner one from being reported as unhandled.
 */
function rejection(err: unknown): Promise<never> {
  const p = Promise.reject(err);
  p.catch(() => {});
  return p;
}
