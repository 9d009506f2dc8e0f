/**
 * The object pool's FIFO of pending acquires. A waiter that timed out stays in the array,
 * marked settled, and is skipped when reached, so timing out is O(1).
 */
import { ErrorCode, HeadroomError } from "../errors.js";

/** Who a served waiter was. */
export interface Served {
  readonly holder: string;
  /** The acquiring stack, when the pool captures stacks. */
  readonly stack: string | undefined;
}

interface PendingAcquire<T> extends Served {
  settled: boolean;
  readonly resolve: (obj: T) => void;
  readonly reject: (err: unknown) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class AcquireQueue<T> {
  #items: (PendingAcquire<T> | undefined)[] = [];
  #head = 0;
  #pending = 0;
  readonly #pool: string;

  constructor(pool: string) {
    this.#pool = pool;
  }

  /** Waiters not yet served, failed or timed out. */
  get pending(): number {
    return this.#pending;
  }

  /** Parks an acquire; it fails with HR_TIMEOUT after `timeoutMs` when given. */
  wait(holder: string, timeoutMs: number | undefined, stack: string | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const w: PendingAcquire<T> = { settled: false, holder, stack, resolve, reject, timer: undefined };
      this.#items.push(w);
      this.#pending++;
      if (timeoutMs !== undefined) w.timer = setTimeout(() => this.#timeOut(w, timeoutMs), timeoutMs);
    });
  }

  /**
   * Hands `obj` to the oldest waiter and returns who it was, or undefined when nobody waits
   * (then the caller keeps the object).
   */
  serve(obj: T): Served | undefined {
    if (this.#pending === 0) return undefined;
    const w = this.#next();
    if (w === undefined) return undefined;
    w.resolve(obj);
    return w;
  }

  /** Fails every waiter with `err`. */
  failAll(err: unknown): void {
    for (let w = this.#next(); w !== undefined; w = this.#next()) w.reject(err);
  }

  // Takes the oldest unsettled waiter off the queue and settles it.
  #next(): PendingAcquire<T> | undefined {
    while (this.#head < this.#items.length) {
      const w = this.#items[this.#head];
      this.#items[this.#head++] = undefined;
      if (w !== undefined && !w.settled) {
        this.#settle(w);
        // A pool under constant contention never empties its queue: drop the served prefix
        // now and then so the array does not grow with every acquire ever made.
        if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
          this.#items = this.#items.slice(this.#head);
          this.#head = 0;
        }
        return w;
      }
    }
    this.#items.length = 0;
    this.#head = 0;
    return undefined;
  }

  #settle(w: PendingAcquire<T>): void {
    w.settled = true;
    this.#pending--;
    if (w.timer !== undefined) clearTimeout(w.timer);
  }

  #timeOut(w: PendingAcquire<T>, ms: number): void {
    if (w.settled) return;
    this.#settle(w);
    w.reject(
      new HeadroomError(ErrorCode.Timeout, `[resources:pool] "${this.#pool}": no object within ${ms} ms`, {
        data: { pool: this.#pool, timeoutMs: ms },
      }),
    );
  }
}
