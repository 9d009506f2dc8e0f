/**
 * The recent samples of one resource, for percentiles: a ring that starts small and doubles up
 * to its limit, so a resource recorded a few times costs a few bytes, not the whole window.
 */
export class UsageWindow {
  #values: Float64Array;
  #times: Float64Array;
  readonly #limit: number;
  #head = 0;
  #size = 0;

  constructor(limit: number) {
    this.#limit = limit;
    const initial = Math.min(limit, 8);
    this.#values = new Float64Array(initial);
    this.#times = new Float64Array(initial);
  }

  get size(): number {
    return this.#size;
  }

  push(t: number, v: number): void {
    if (this.#limit === 0) return;
    const cap = this.#values.length;
    if (this.#size === cap && cap < this.#limit) this.#grow(Math.min(this.#limit, cap * 2));
    const c = this.#values.length;
    const at = (this.#head + this.#size) % c;
    this.#values[at] = v;
    this.#times[at] = t;
    if (this.#size < c) this.#size++;
    else this.#head = (this.#head + 1) % c;
  }

  /** Copies of the samples (oldest first), optionally only those at or after `sinceMs`. */
  samples(sinceMs = Number.NEGATIVE_INFINITY): { ts: Float64Array; vs: Float64Array } {
    const c = this.#values.length;
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < this.#size; i++) {
      const at = (this.#head + i) % c;
      if (this.#times[at] < sinceMs) continue;
      ts.push(this.#times[at]);
      vs.push(this.#values[at]);
    }
    return { ts: Float64Array.from(ts), vs: Float64Array.from(vs) };
  }

  /** Bytes held by the sample arrays. */
  byteLength(): number {
    return this.#values.byteLength + this.#times.byteLength;
  }

  #grow(cap: number): void {
    const old = this.#values.length;
    const values = new Float64Array(cap);
    const times = new Float64Array(cap);
    for (let i = 0; i < this.#size; i++) {
      values[i] = this.#values[(this.#head + i) % old];
      times[i] = this.#times[(this.#head + i) % old];
    }
    this.#values = values;
    this.#times = times;
    this.#head = 0;
  }
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}
