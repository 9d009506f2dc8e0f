/**
 * The bounded queue between `push()` and the network: pieces of snapshots, oldest first,
 * counted in samples. When a new piece would pass the bound, the oldest pieces not being sent
 * right now are dropped (the newest data is the most useful after an outage) and the caller
 * counts them. With a spool, every piece is journaled on disk until it is sent or dropped.
 */
import type { MetricsSnapshot } from "../metrics/snapshot.js";
import type { Spool, SpoolEntry } from "./spool.js";

export class SampleQueue {
  readonly maxSamples: number;
  readonly #spool: Spool | undefined;
  #entries: SpoolEntry[] = [];
  #samples = 0;
  #nextId = 1;
  /** Entries at the head that a send is using; never dropped while it runs. */
  #inFlight = 0;

  constructor(maxSamples: number, spool?: Spool) {
    this.maxSamples = maxSamples;
    this.#spool = spool;
    if (spool) {
      this.#entries = spool.load();
      for (const e of this.#entries) this.#samples += e.samples;
      this.#nextId = (this.#entries.at(-1)?.id ?? 0) + 1;
    }
  }

  get samples(): number {
    return this.#samples;
  }

  /** Why the on-disk journal stopped being written, if it did. */
  get spoolError(): string | undefined {
    return this.#spool?.degraded;
  }

  get length(): number {
    return this.#entries.length;
  }

  /** Queues a piece; returns how many samples were dropped to make room. */
  add(snapshot: MetricsSnapshot, samples: number): number {
    let dropped = 0;
    const droppedIds: number[] = [];
    while (this.#samples + samples > this.maxSamples && this.#entries.length > this.#inFlight) {
      const [old] = this.#entries.splice(this.#inFlight, 1);
      this.#samples -= old.samples;
      dropped += old.samples;
      droppedIds.push(old.id);
    }
    if (this.#samples + samples > this.maxSamples) {
      // Still no room: everything left is in flight. The new piece is the one dropped.
      this.#spool?.ack(droppedIds, () => this.#entries);
      return dropped + samples;
    }
    const entry: SpoolEntry = { id: this.#nextId++, samples, snapshot };
    this.#entries.push(entry);
    this.#samples += samples;
    this.#spool?.ack(droppedIds, () => this.#entries);
    this.#spool?.append(entry);
    return dropped;
  }

  /** Removes every entry not in flight (they were superseded); returns their sample count. */
  clearQueued(): number {
    const gone = this.#entries.splice(this.#inFlight);
    let n = 0;
    for (const e of gone) n += e.samples;
    this.#samples -= n;
    this.#spool?.ack(
      gone.map((e) => e.id),
      () => this.#entries,
    );
    return n;
  }

  /** Marks head entries, up to `maxSamples` in total (at least one), as in flight and returns them. */
  take(maxSamples: number): SpoolEntry[] {
    let n = 0;
    let i = 0;
    while (i < this.#entries.length && (i === 0 || n + this.#entries[i].samples <= maxSamples)) {
      n += this.#entries[i].samples;
      i++;
    }
    this.#inFlight = i;
    return this.#entries.slice(0, i);
  }

  /** Removes the in-flight entries (sent, or refused for good). */
  ack(): void {
    const done = this.#entries.splice(0, this.#inFlight);
    this.#inFlight = 0;
    for (const e of done) this.#samples -= e.samples;
    this.#spool?.ack(
      done.map((e) => e.id),
      () => this.#entries,
    );
  }

  /** Returns the in-flight entries to the queue (a retryable failure). */
  release(): void {
    this.#inFlight = 0;
  }

  /** Rewrites the journal to exactly the live entries. */
  sync(): void {
    this.#spool?.rewrite(this.#entries);
  }
}
