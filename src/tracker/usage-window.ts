/**
 * The recent samples of one resource, for percentiles and leak analysis: one interleaved
 * (time, value) ring that is allocated on the first sample and doubles up to its limit, so a
 * resource recorded a few times costs a few bytes, not the whole window.
 */
export class UsageWindow {
  /** [t0, v0, t1, v1, ...]; empty until the first sample. */
  #ring: Float64Array = EMPTY;
  readonly #limit: number;
  #head = 0;
  #size = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#size;
  }

  push(t: number, v: number): void {
    if (this.#limit === 0) return;
    let cap = this.#ring.length >> 1;
    if (this.#size === cap && cap < this.#limit) {
      this.#grow(cap === 0 ? Math.min(this.#limit, 4) : Math.min(this.#limit, cap * 2));
      cap = this.#ring.length >> 1;
    }
    const at = (this.#head + this.#size) % cap;
    this.#ring[2 * at] = t;
    this.#ring[2 * at + 1] = v;
    if (this.#size < cap) this.#size++;
    else this.#head = (this.#head + 1) % cap;
  }

  /** Copies of the samples (oldest first), optionally only those at or after `sinceMs`. */
  samples(sinceMs = Number.NEGATIVE_INFINITY): { ts: Float64Array; vs: Float64Array } {
    const cap = this.#ring.length >> 1;
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < this.#size; i++) {
      const at = (this.#head + i) % cap;
      if (this.#ring[2 * at] < sinceMs) continue;
      ts.push(this.#ring[2 * at]);
      vs.push(this.#ring[2 * at + 1]);
    }
    return { ts: Float64Array.from(ts), vs: Float64Array.from(vs) };
  }

  /** Bytes held by the sample ring. */
  byteLength(): number {
    return this.#ring.byteLength;
  }

  #grow(cap: number): void {
    const old = this.#ring.length >> 1;
    const ring = new Float64Array(cap * 2);
    for (let i = 0; i < this.#size; i++) {
      const at = (this.#head + i) % old;
      ring[2 * i] = this.#ring[2 * at];
      ring[2 * i + 1] = this.#ring[2 * at + 1];
    }
    this.#ring = ring;
    this.#head = 0;
  }
}

const EMPTY = new Float64Array(0);

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}
