/** Gauge: a value that goes up and down. Non-finite values are counted and dropped. */
import { type LabelArg, type LabelValues, MetricBase, type MetricOptions } from "./metric-base.js";
import { SlotHandle } from "./slot-handle.js";
import type { ScalarFamily, ScalarSeries } from "./snapshot.js";

export class GaugeHandle extends SlotHandle {
  set(value: number): void {
    if (!Number.isFinite(value)) this.table.rejected++;
    else if (this.live()) this.table.values[this.slot] = value;
  }

  inc(value = 1): void {
    if (!Number.isFinite(value)) this.table.rejected++;
    else if (this.live()) this.table.values[this.slot] += value;
  }

  dec(value = 1): void {
    this.inc(-value);
  }

  /** Sets the gauge to the current time in seconds (reads the clock: not for tight loops). */
  setToCurrentTime(): void {
    this.set(Date.now() / 1000);
  }
}

export class Gauge<L extends string = never> extends MetricBase<L> {
  readonly type: "gauge" | "info" | "stateset" = "gauge";

  constructor(options: MetricOptions<L>, now: () => number) {
    super(options, 1, now);
  }

  labels(labels: LabelValues<L>): GaugeHandle {
    return new GaugeHandle(this.table, this.bind(labels));
  }

  set(value: number): void;
  set(labels: LabelArg<L>, value: number): void;
  set(a: number | LabelValues<L>, b?: number): void {
    this.#write(a, b, false);
  }

  inc(value?: number): void;
  inc(labels: LabelArg<L>, value?: number): void;
  inc(a?: number | LabelValues<L>, b?: number): void {
    if (typeof a === "object") this.#write(a, b ?? 1, true);
    else this.#write(a ?? 1, undefined, true);
  }

  dec(value?: number): void;
  dec(labels: LabelArg<L>, value?: number): void;
  dec(a?: number | LabelValues<L>, b?: number): void {
    if (typeof a === "object") this.#write(a, -(b ?? 1), true);
    else this.#write(-(a ?? 1), undefined, true);
  }

  setToCurrentTime(labels?: LabelValues<L>): void {
    if (labels) this.#write(labels, this.now() / 1000, false);
    else this.#write(this.now() / 1000, undefined, false);
  }

  get(labels?: LabelValues<L>): number {
    if (!labels) return this.labelNames.length === 0 ? this.table.values[0] : 0;
    const slot = this.table.index.get(this.labelNames.map((n) => String(labels[n])).join("\u0000"));
    return slot === undefined ? 0 : this.table.values[slot];
  }

  #write(a: number | LabelValues<L>, b: number | undefined, add: boolean): void {
    let slot: number;
    let value: number;
    if (typeof a === "object" && a !== null) {
      slot = this.resolve(a);
      value = b as number;
    } else {
      slot = this.defaultSlot();
      value = a;
    }
    if (slot < 0) return;
    if (!Number.isFinite(value)) {
      this.table.rejected++;
      return;
    }
    if (add) this.table.values[slot] += value;
    else this.table.values[slot] = value;
  }

  collect(): ScalarFamily {
    const t = this.table;
    const series: ScalarSeries[] = [];
    for (const slot of t.slots()) series.push({ labels: t.labelsOf(slot), value: t.values[slot] });
    return {
      name: this.name,
      type: this.type,
      help: this.help,
      unit: this.unit,
      labelNames: this.labelNames,
      series,
    };
  }
}
