/**
 * Rate: events per second over a sliding window. `mark(n)` only adds to a total (no clock on
 * the hot path); each collection records (time, total) and reports the increase over the
 * window divided by the time it spans. Exposed as a gauge.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { type LabelArg, type LabelValues, MetricBase, type MetricOptions } from "./metric-base.js";
import { SlotHandle } from "./slot-handle.js";
import type { ScalarFamily, ScalarSeries } from "./snapshot.js";

export interface RateOptions<L extends string> extends MetricOptions<L> {
  windowSeconds?: number;
}

export class RateHandle extends SlotHandle {
  mark(count = 1): void {
    if (!(count >= 0 && count !== Infinity)) this.table.rejected++;
    else if (this.live()) this.table.values[this.slot] += count;
  }
}

export class Rate<L extends string = never> extends MetricBase<L> {
  readonly type = "gauge" as const;
  readonly windowMs: number;
  /** Per slot: flat [timeMs, total, timeMs, total, ...] samples within the window. */
  #history: (number[] | undefined)[] = [];

  constructor(options: RateOptions<L>, now: () => number) {
    super(options, 1, now);
    const window = options.windowSeconds ?? 60;
    if (!(window > 0)) {
      throw new HeadroomError(ErrorCode.InvalidArgument, `[metrics] ${this.name}: windowSeconds must be > 0`);
    }
    this.windowMs = window * 1000;
  }

  labels(labels: LabelValues<L>): RateHandle {
    return new RateHandle(this.table, this.bind(labels));
  }

  mark(count?: number): void;
  mark(labels: LabelArg<L>, count?: number): void;
  mark(a?: number | LabelValues<L>, b?: number): void {
    const slot = typeof a === "object" && a !== null ? this.resolve(a) : this.defaultSlot();
    const count = typeof a === "object" ? (b ?? 1) : (a ?? 1);
    if (slot < 0) return;
    if (count >= 0 && count !== Infinity) this.table.values[slot] += count;
    else this.table.rejected++;
  }

  /** Current events-per-second value of one series (updates the window). */
  #rateOf(slot: number, now: number): number {
    const t = this.table;
    let samples = this.#history[slot];
    if (samples === undefined) {
      samples = [t.created[slot] * 1000, 0];
      this.#history[slot] = samples;
    }
    samples.push(now, t.values[slot]);
    // Keep the newest sample at or before the window start, so the window is fully spanned.
    while (samples.length > 4 && samples[2] <= now - this.windowMs) samples.splice(0, 2);
    const elapsed = (now - samples[0]) / 1000;
    return elapsed > 0 ? (t.values[slot] - samples[1]) / elapsed : 0;
  }

  override clear(): void {
    super.clear();
    this.#history = [];
  }

  override remove(labels: LabelValues<L>): boolean {
    const removed = super.remove(labels);
    this.#history = this.#history.map((h, slot) => (this.table.keys[slot] === undefined ? undefined : h));
    return removed;
  }

  collect(): ScalarFamily {
    const now = this.now();
    const t = this.table;
    const series: ScalarSeries[] = [];
    for (const slot of t.slots()) series.push({ labels: t.labelsOf(slot), value: this.#rateOf(slot, now) });
    return {
      name: this.name,
      type: "gauge",
      help: this.help,
      unit: this.unit,
      labelNames: this.labelNames,
      series,
    };
  }
}
