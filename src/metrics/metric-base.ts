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

/** The label argument of the unbound form: none for a metric that declares no labels. */
export type LabelArg<L extends string> = [L] extends [never] ? never : LabelValues<L>;

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

/** Label sets the unbound form remembers per metric; hot label sets are few, so this stays small. */
const UNBOUND_CACHE_SIZE = 1024;
/** Label sets the unbound form checks first, by plain comparison, before any map lookup. */
const MRU_ENTRIES = 8;

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

  /**
   * Slot for the unbound form. First a bounded cache of nested maps keyed by each label value in
   * turn (no string building, no allocation on a hit); then the series index by joined key;
   * full validation only on a miss there. Returns -1 (counted) when the labels are invalid.
   */
  protected resolve(labels: LabelValues<L>): number {
    const names = this.labelNames;
    const record = labels as Readonly<Record<string, unknown>>;
    if (this.#cacheRemovals !== this.table.removals) this.forgetCache();
    const n = names.length;
    // Most recently used label sets: a few identity/content compares, no hashing.
    const v0 = record[names[0]];
    const v1 = n > 1 ? record[names[1]] : undefined;
    const v2 = n > 2 ? record[names[2]] : undefined;
    const mru = this.#mru;
    for (let e = 0; e < mru.length; e += 4) {
      if (mru[e] === v0 && mru[e + 1] === v1 && mru[e + 2] === v2 && n <= 3) return mru[e + 3] as number;
    }
    let node: Map<unknown, unknown> | number | undefined = this.#cache;
    for (let i = 0; i < n && node !== undefined; i++) {
      node = (node as Map<unknown, unknown>).get(record[names[i]]) as
        | Map<unknown, unknown>
        | number
        | undefined;
    }
    let slot: number | undefined =
      typeof node === "number" ? node : this.table.index.get(seriesKey(names, record));
    if (slot === undefined) {
      try {
        slot = this.bind(labels);
      } catch {
        this.table.rejected++;
        return -1;
      }
    }
    if (typeof node !== "number") this.#remember(record, slot);
    if (n <= 3) {
      const at = this.#mruNext;
      this.#mruNext = (at + 4) % (MRU_ENTRIES * 4);
      if (at >= mru.length) mru.push(v0, v1, v2, slot);
      else {
        mru[at] = v0;
        mru[at + 1] = v1;
        mru[at + 2] = v2;
        mru[at + 3] = slot;
      }
    }
    return slot;
  }

  /** Flat [v0, v1, v2, slot] entries of recently resolved label sets (metrics with up to 3 labels). */
  #mru: unknown[] = [];
  #mruNext = 0;
  #cache = new Map<unknown, unknown>();
  #cached = 0;
  #cacheRemovals = 0;

  #remember(labels: Readonly<Record<string, unknown>>, slot: number): void {
    if (this.#cached >= UNBOUND_CACHE_SIZE || this.labelNames.length === 0) return;
    let node = this.#cache;
    const last = this.labelNames.length - 1;
    for (let i = 0; i < last; i++) {
      const value = labels[this.labelNames[i]];
      let next = node.get(value) as Map<unknown, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(value, next);
      }
      node = next;
    }
    node.set(labels[this.labelNames[last]], slot);
    this.#cached++;
  }

  /** Forgets the unbound cache (after a removal, so no cached slot outlives its series). */
  protected forgetCache(): void {
    this.#mru = [];
    this.#mruNext = 0;
    this.#cache = new Map();
    this.#cached = 0;
    this.#cacheRemovals = this.table.removals;
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

  /**
   * Drops every series whose labels are not in `keep`: for a metric rewritten in full at each
   * sample (a top-N table, counts by type). Unlike `clear()`, a series that stays keeps its
   * identity, so snapshots and history go on seeing one series instead of a new one per sample.
   */
  retainOnly(keep: Iterable<LabelValues<L>>): void {
    const keys = new Set<string>();
    for (const labels of keep) keys.add(labelValuesOf(this.name, this.labelNames, labels).join("\u0000"));
    for (const key of [...this.table.index.keys()]) if (!keys.has(key)) this.table.remove(key);
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
