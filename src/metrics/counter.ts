/**
 * Counter: a monotonic total. Increments must be finite and non-negative; a bad one is counted
 * in the table's `rejected` and dropped, never thrown, on the hot path.
 */
import { type LabelArg, type LabelValues, MetricBase, type MetricOptions } from "./metric-base.js";
import { SlotHandle } from "./slot-handle.js";
import type { ScalarFamily, ScalarSeries } from "./snapshot.js";

export class CounterHandle extends SlotHandle {
  inc(value = 1): void {
    if (!(value >= 0 && value !== Infinity)) this.table.rejected++;
    else if (this.live()) this.table.values[this.slot] += value;
  }

  /**
   * Mirrors a cumulative total read from elsewhere (a kernel counter). A value lower than the
   * current one is a reset of the source and is taken as is.
   */
  setTotal(total: number): void {
    if (!(total >= 0 && total !== Infinity)) this.table.rejected++;
    else if (this.live()) this.table.values[this.slot] = total;
  }
}

export class Counter<L extends string = never> extends MetricBase<L> {
  readonly type = "counter" as const;

  constructor(options: MetricOptions<L>, now: () => number) {
    super(options, 1, now);
  }

  /** A handle bound to one series. Throws a typed error when labels are missing, extra or invalid. */
  labels(labels: LabelValues<L>): CounterHandle {
    return new CounterHandle(this.table, this.bind(labels));
  }

  inc(value?: number): void;
  inc(labels: LabelArg<L>, value?: number): void;
  inc(a?: number | LabelValues<L>, b?: number): void {
    let slot: number;
    let value: number;
    if (typeof a === "object" && a !== null) {
      slot = this.resolve(a);
      value = b ?? 1;
    } else {
      slot = this.defaultSlot();
      value = a ?? 1;
    }
    if (slot < 0) return;
    if (value >= 0 && value !== Infinity) this.table.values[slot] += value;
    else this.table.rejected++;
  }

  /** Sets the total of a no-label counter mirrored from elsewhere (see CounterHandle.setTotal). */
  setTotal(total: number): void;
  setTotal(labels: LabelArg<L>, total: number): void;
  setTotal(a: number | LabelValues<L>, b?: number): void {
    const slot = typeof a === "object" ? this.resolve(a) : this.defaultSlot();
    const total = typeof a === "object" ? (b as number) : a;
    if (slot < 0) return;
    if (total >= 0 && total !== Infinity) this.table.values[slot] = total;
    else this.table.rejected++;
  }

  get(labels?: LabelValues<L>): number {
    const slot = labels
      ? this.table.index.get(this.labelNames.map((n) => String(labels[n])).join("\u0000"))
      : 0;
    return slot === undefined || (this.labelNames.length > 0 && !labels) ? 0 : this.table.values[slot];
  }

  collect(): ScalarFamily {
    const t = this.table;
    const series: ScalarSeries[] = [];
    for (const slot of t.slots()) {
      series.push({ labels: t.labelsOf(slot), value: t.values[slot], createdMs: t.created[slot] * 1000 });
    }
    return {
      name: this.name,
      type: "counter",
      help: this.help,
      unit: this.unit,
      labelNames: this.labelNames,
      series,
    };
  }
}
