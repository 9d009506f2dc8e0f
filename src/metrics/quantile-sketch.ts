/**
 * A bounded relative-error quantile sketch (the DDSketch idea): values fall into logarithmic
 * buckets, so any quantile is answered within `relativeAccuracy` of the true value, and memory
 * is bounded by `maxBuckets` (the lowest buckets are merged when it is reached, which only
 * coarsens the smallest values).
 */
export class QuantileSketch {
  readonly #gamma: number;
  readonly #logGamma: number;
  readonly #maxBuckets: number;
  #positive = new Map<number, number>();
  #negative = new Map<number, number>();
  #zero = 0;
  #count = 0;

  constructor(relativeAccuracy = 0.01, maxBuckets = 2048) {
    this.#gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.#logGamma = Math.log(this.#gamma);
    this.#maxBuckets = maxBuckets;
  }

  get count(): number {
    return this.#count;
  }

  add(value: number): void {
    this.#count++;
    if (value === 0) {
      this.#zero++;
      return;
    }
    const map = value > 0 ? this.#positive : this.#negative;
    const key = Math.ceil(Math.log(Math.abs(value)) / this.#logGamma);
    map.set(key, (map.get(key) ?? 0) + 1);
    if (map.size > this.#maxBuckets) this.#collapse(map, value > 0);
  }

  /** Adds every value of `other` (same accuracy) to this sketch. */
  merge(other: QuantileSketch): void {
    for (const [key, n] of other.#positive) this.#positive.set(key, (this.#positive.get(key) ?? 0) + n);
    for (const [key, n] of other.#negative) this.#negative.set(key, (this.#negative.get(key) ?? 0) + n);
    this.#zero += other.#zero;
    this.#count += other.#count;
    while (this.#positive.size > this.#maxBuckets) this.#collapse(this.#positive, true);
    while (this.#negative.size > this.#maxBuckets) this.#collapse(this.#negative, false);
  }

  reset(): void {
    this.#positive.clear();
    this.#negative.clear();
    this.#zero = 0;
    this.#count = 0;
  }

  /** The q-quantile (0..1) of the values added, or NaN when empty. */
  quantile(q: number): number {
    if (this.#count === 0) return Number.NaN;
    const rank = q * (this.#count - 1);
    let seen = 0;
    const negKeys = [...this.#negative.keys()].sort((a, b) => b - a);
    for (const key of negKeys) {
      seen += this.#negative.get(key) ?? 0;
      if (seen > rank) return -this.#value(key);
    }
    seen += this.#zero;
    if (seen > rank) return 0;
    const posKeys = [...this.#positive.keys()].sort((a, b) => a - b);
    for (const key of posKeys) {
      seen += this.#positive.get(key) ?? 0;
      if (seen > rank) return this.#value(key);
    }
    return this.#value(posKeys[posKeys.length - 1] ?? 0);
  }

  #value(key: number): number {
    return (2 * this.#gamma ** key) / (this.#gamma + 1);
  }

  /** Merges the two buckets nearest zero magnitude, keeping the map within its bound. */
  #collapse(map: Map<number, number>, _positive: boolean): void {
    const keys = [...map.keys()].sort((a, b) => a - b);
    const [a, b] = keys;
    map.set(b, (map.get(b) ?? 0) + (map.get(a) ?? 0));
    map.delete(a);
  }
}
