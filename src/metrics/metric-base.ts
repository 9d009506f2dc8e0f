/**
 * What every metric type shares: its definition (validated once), its series table, label
 * resolution for the bound and unbound forms, and series removal.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { fullName, labelValuesOf, seriesKey, validateLabelNames, validateMetricName } from "./identity.js";
import { SeriesTable } from "./series-table.js";
import type { Labels, MetricFamily, MetricType } from "./snapshot.js";

/** Label values keyed by the declared label names; every declared label is required. */
export type LabelValues<L extends string> = { readonly [K in L]: string | number };

export interface MetricOptions<L extends string = string> {
  /** Seed 001's MetricId namespace; the full name is `namespace_name`. */
  namespace?: string;
  name: string;
  help: string;
  /** Declared label names; every series supplies exactly these. */
  labelNames?: readonly L[];
  /** OpenMetrics unit (`seconds`, `bytes`). */
  unit?: string;
  /** Most series this metric keeps; past it, new label sets land in one `__overflow__` series. */
  seriesLimit?: number;
}

export const DEFAULT_SERIES_LIMIT = 10_000;

export abstract class MetricBase<L extends string> {
  abstract readonly type: MetricType;
  readonly namespace: string;
  /** Full name, namespace included. */
  readonly name: string;
  readonly help: string;
  readonly unit: string;
  readonly labelNames: readonly L[];
  readonly table: SeriesTable;
  /** Injected clock (ms); the registry passes its own so tests can control time. */
  protected readonly now: () => number;

  constructor(options: MetricOptions<L>, stride: number, now: () => number, reservedLabels: string[] = []) {
    if (options.namespace) validateMetricName(options.namespace);
    this.name = fullName(options.namespace, options.name);
    validateMetricName(this.name);
    if (typeof options.help !== "string") {
      throw new HeadroomError(ErrorCode.InvalidArgument, `[metrics] ${this.name}: help must be a string`);
    }
    this.namespace = options.namespace ?? "";
    this.help = options.help;
    this.unit = options.unit ?? "";
    this.labelNames = Object.freeze([...(options.labelNames ?? [])]);
    validateLabelNames(this.name, this.labelNames, reservedLabels);
    const limit = options.seriesLimit ?? DEFAULT_SERIES_LIMIT;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new HeadroomError(
        ErrorCode.InvalidArgument,
        `[metrics] ${this.name}: seriesLimit must be a positive integer`,
      );
    }
    this.table = new SeriesTable(this.name, this.labelNames, stride, limit);
    this.now = now;
    if (this.labelNames.length === 0) this.table.slotFor("", [], now());
  }

  /** Slot for a label set, validating it fully. Throws a typed error on bad labels (binding time). */
  protected bind(labels: LabelValues<L> | undefined): number {
    const values = labelValuesOf(this.name, this.labelNames, labels);
    const key = values.join("\u0000");
    const slot = this.table.index.get(key);
    return slot !== undefined ? slot : this.table.slotFor(key, values, this.now());
  }

  /** Slot for the unbound form: a map hit without validation, full validation on a miss; -1 (counted) when invalid. */
  protected resolve(labels: LabelValues<L>): number {
    const slot = this.table.index.get(seriesKey(this.labelNames, labels));
    if (slot !== undefined) return slot;
    try {
      return this.bind(labels);
    } catch {
      this.table.rejected++;
      return -1;
    }
  }

  /** The no-label series, or -1 (counted) when this metric declares labels. */
  protected defaultSlot(): number {
    if (this.labelNames.length === 0) return 0;
    this.table.rejected++;
    return -1;
  }

  /** Drops one series. Handles bound to it stop writing (their writes are counted as stale). */
  remove(labels: LabelValues<L>): boolean {
    const values = labelValuesOf(this.name, this.labelNames, labels);
    return this.table.remove(values.join("\u0000"));
  }

  /** Drops every series (a no-label metric keeps its single series, reset to zero). */
  clear(): void {
    this.table.clear();
    if (this.labelNames.length === 0) this.table.slotFor("", [], this.now());
  }

  /** Number of live series. */
  get seriesCount(): number {
    return this.table.size;
  }

  protected labelsOf(slot: number): Labels {
    return this.table.labelsOf(slot);
  }

  /** The plain snapshot of this metric's family. Never mutates the metric. */
  abstract collect(): MetricFamily;
}
