/**
 * A FIFO of parked requests. Removal from the middle (a timed-out or cancelled waiter) only
 * marks the entry; the drain skips marked entries, so every operation is O(1) amortized.
 */
export interface Waiter {
  /** Set once the waiter has been granted, failed or timed out; the queue then skips it. */
  settled: boolean;
}

export class WaitQueue<W extends Waiter> {
  #items: (W | undefined)[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(waiter: W): void {
    this.#items.push(waiter);
  }

  /** The oldest waiter not yet settled, or undefined. */
  peek(): W | undefined {
    while (this.#head < this.#items.length) {
      const w = this.#items[this.#head];
      if (w !== undefined && !w.settled) return w;
      this.#items[this.#head++] = undefined;
    }
    this.#compact();
    return undefined;
  }

  /** Removes the head (after the caller granted or failed it). */
  shift(): void {
    if (this.#head < this.#items.length) this.#items[this.#head++] = undefined;
    this.#compact();
  }

  /** Every waiter still pending, oldest first. */
  pending(): W[] {
    const out: W[] = [];
    for (let i = this.#head; i < this.#items.length; i++) {
      const w = this.#items[i];
      if (w !== undefined && !w.settled) out.push(w);
    }
    return out;
  }

  #compact(): void {
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
