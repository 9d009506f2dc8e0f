/**
 * Summary: sum, count and quantiles over a sliding time window. The window is `ageBuckets`
 * sketches staggered by `maxAgeSeconds / ageBuckets`; quantiles are read from the oldest, which
 * covers the full window. The hot path never reads the clock, so an observation goes into one
 * "fresh" sketch per series; at collection the window is rotated first and the fresh sketch is
 * then merged into every age sketch. Observations are thus placed in the window by the time of
 * the collection that follows them (within one collection interval).
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { type LabelArg, type LabelValues, MetricBase, type MetricOptions } from "./metric-base.js";
import { QuantileSketch } from "./quantile-sketch.js";
import type { SummaryFamily, SummarySeries } from "./snapshot.js";

export interface SummaryOptions<L extends string> extends MetricOptions<L> {
  percentiles?: readonly number[];
  maxAgeSeconds?: number;
  ageBuckets?: number;
  /** Relative accuracy of the quantiles (default 1%). */
  relativeAccuracy?: number;
}

export class Summary<L extends string = never> extends MetricBase<L> {
  readonly type = "summary" as const;
  readonly percentiles: readonly number[];
  readonly #ageBuckets: number;
  readonly #rotateMs: number;
  readonly #accuracy: number;
  /** Per slot: the age sketches, then the fresh one at index `ageBuckets`. */
  #sketches: (QuantileSketch[] | undefined)[] = [];
  #head = 0;
  #rotatedAt: number;

  constructor(options: SummaryOptions<L>, now: () => number) {
    super(options, 2, now, ["quantile"]);
    this.percentiles = Object.freeze([...(options.percentiles ?? [0.5, 0.9, 0.99])]);
    for (const q of this.percentiles) {
      if (!(q >= 0 && q <= 1)) {
        throw new HeadroomError(
          ErrorCode.InvalidArgument,
          `[metrics] ${this.name}: percentile ${q} is not in [0, 1]`,
        );
      }
    }
    const maxAge = options.maxAgeSeconds ?? 600;
    this.#ageBuckets = options.ageBuckets ?? 5;
    if (!(maxAge > 0) || !Number.isInteger(this.#ageBuckets) || this.#ageBuckets < 1) {
      throw new HeadroomError(
        ErrorCode.InvalidArgument,
        `[metrics] ${this.name}: needs maxAgeSeconds > 0, ageBuckets >= 1`,
      );
    }
    this.#rotateMs = (maxAge * 1000) / this.#ageBuckets;
    this.#accuracy = options.relativeAccuracy ?? 0.01;
    this.#rotatedAt = now();
  }

  labels(labels: LabelValues<L>): { observe(value: number): void } {
    const slot = this.bind(labels);
    return { observe: (value: number) => this.#record(slot, value) };
  }

  observe(value: number): void;
  observe(labels: LabelArg<L>, value: number): void;
  observe(a: number | LabelValues<L>, b?: number): void {
    const slot = typeof a === "object" && a !== null ? this.resolve(a) : this.defaultSlot();
    if (slot >= 0) this.#record(slot, typeof a === "object" ? (b as number) : a);
  }

  #record(slot: number, value: number): void {
    const t = this.table;
    if (!Number.isFinite(value) || t.keys[slot] === undefined) {
      t.rejected++;
      return;
    }
    let sketches = this.#sketches[slot];
    if (sketches === undefined) {
      sketches = Array.from({ length: this.#ageBuckets + 1 }, () => new QuantileSketch(this.#accuracy));
      this.#sketches[slot] = sketches;
    }
    sketches[this.#ageBuckets].add(value);
    t.values[slot * 2] += value;
    t.values[slot * 2 + 1]++;
  }

  override remove(labels: LabelValues<L>): boolean {
    const removed = super.remove(labels);
    this.#sketches = this.#sketches.map((s, slot) => (this.table.keys[slot] === undefined ? undefined : s));
    return removed;
  }

  override clear(): void {
    super.clear();
    this.#sketches = [];
  }

  #rotate(): void {
    const now = this.now();
    let steps = Math.floor((now - this.#rotatedAt) / this.#rotateMs);
    if (steps <= 0) return;
    this.#rotatedAt += steps * this.#rotateMs;
    steps = Math.min(steps, this.#ageBuckets);
    for (let i = 0; i < steps; i++) {
      for (const sketches of this.#sketches) sketches?.[this.#head].reset();
      this.#head = (this.#head + 1) % this.#ageBuckets;
    }
  }

  collect(): SummaryFamily {
    this.#rotate();
    const t = this.table;
    const series: SummarySeries[] = [];
    for (const sketches of this.#sketches) {
      if (!sketches) continue;
      const fresh = sketches[this.#ageBuckets];
      if (fresh.count === 0) continue;
      for (let i = 0; i < this.#ageBuckets; i++) sketches[i].merge(fresh);
      fresh.reset();
    }
    for (const slot of t.slots()) {
      const sketch = this.#sketches[slot]?.[this.#head];
      series.push({
        labels: t.labelsOf(slot),
        quantiles: this.percentiles.map((quantile) => ({
          quantile,
          value: sketch ? sketch.quantile(quantile) : Number.NaN,
        })),
        sum: t.values[slot * 2],
        count: t.values[slot * 2 + 1],
        createdMs: t.created[slot] * 1000,
      });
    }
    return {
      name: this.name,
      type: "summary",
      help: this.help,
      unit: this.unit,
      labelNames: this.labelNames,
      series,
    };
  }
}
