/**
 * The storage behind one metric: a map from series key to slot, and flat typed arrays holding
 * every series' numbers at `slot * stride`. Bound handles keep (table, slot, generation) and
 * write straight into `values`: no key, no lookup, no allocation on the hot path.
 *
 * A removed slot is recycled with a new generation, so a handle kept past `remove()` sees the
 * mismatch and drops its writes (counted as stale) instead of corrupting another series.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { Labels } from "./snapshot.js";

const OVERFLOW_VALUE = "__overflow__";

export class SeriesTable {
  readonly metric: string;
  readonly labelNames: readonly string[];
  /** Numbers per series (1 for counters and gauges; buckets + sum for histograms). */
  readonly stride: number;
  readonly seriesLimit: number;
  values: Float64Array;
  gens: Uint32Array;
  /** Creation time of each slot, in seconds since the epoch (OpenMetrics `_created`). */
  created: Uint32Array;
  /** Slot -> key, undefined for free slots. */
  keys: (string | undefined)[] = [];
  /** Slot -> frozen labels, built on first snapshot and reused after. */
  labelObjects: (Labels | undefined)[] = [];
  readonly index = new Map<string, number>();
  #free: number[] = [];
  #seen = new Float64Array(0);
  #changedAt = new Float64Array(0);
  #next = 0;
  /** Series removed so far; caches of slots compare it to know they are still valid. */
  removals = 0;
  /** Writes through handles whose series was removed. */
  stale = 0;
  /** Values rejected on the hot path (NaN, negative counter increments, missing labels). */
  rejected = 0;
  /** Series that went to the overflow series because the limit was reached. */
  overflowed = 0;

  constructor(metric: string, labelNames: readonly string[], stride: number, seriesLimit: number) {
    this.metric = metric;
    this.labelNames = labelNames;
    this.stride = stride;
    this.seriesLimit = labelNames.length === 0 ? 1 : seriesLimit;
    const initial = labelNames.length === 0 ? 1 : 8;
    this.values = new Float64Array(initial * stride);
    this.gens = new Uint32Array(initial);
    this.created = new Uint32Array(initial);
  }

  get size(): number {
    return this.index.size;
  }

  /** The slot for `key` (already validated values), creating it, or the overflow slot past the limit. */
  slotFor(key: string, values: readonly string[], nowMs: number): number {
    const existing = this.index.get(key);
    if (existing !== undefined) return existing;
    if (this.index.size >= this.seriesLimit) {
      this.overflowed++;
      const overflowKey = this.labelNames.map(() => OVERFLOW_VALUE).join("\u0000");
      const slot = this.index.get(overflowKey);
      if (slot !== undefined) return slot;
      return this.#allocate(overflowKey, nowMs);
    }
    if (values.length !== this.labelNames.length) {
      throw new HeadroomError(
        ErrorCode.InvalidLabel,
        `[metrics] ${this.metric}: wrong number of label values`,
      );
    }
    return this.#allocate(key, nowMs);
  }

  #allocate(key: string, nowMs: number): number {
    let slot = this.#free.pop();
    if (slot === undefined) {
      slot = this.#next++;
      if (slot >= this.gens.length) this.#grow();
    }
    this.values.fill(0, slot * this.stride, (slot + 1) * this.stride);
    this.created[slot] = Math.floor(nowMs / 1000);
    this.keys[slot] = key;
    this.labelObjects[slot] = undefined;
    this.index.set(key, slot);
    return slot;
  }

  #grow(): void {
    const capacity = this.gens.length * 2;
    const values = new Float64Array(capacity * this.stride);
    values.set(this.values);
    this.values = values;
    const gens = new Uint32Array(capacity);
    gens.set(this.gens);
    this.gens = gens;
    const created = new Uint32Array(capacity);
    created.set(this.created);
    this.created = created;
  }

  remove(key: string): boolean {
    const slot = this.index.get(key);
    if (slot === undefined) return false;
    this.removals++;
    this.index.delete(key);
    this.keys[slot] = undefined;
    this.labelObjects[slot] = undefined;
    this.gens[slot] = (this.gens[slot] + 1) >>> 0;
    this.#free.push(slot);
    return true;
  }

  clear(): void {
    for (const key of [...this.index.keys()]) this.remove(key);
  }

  /** Labels of a live slot as a frozen object shared by every snapshot of the series. */
  labelsOf(slot: number): Labels {
    let labels = this.labelObjects[slot];
    if (labels === undefined) {
      const values = (this.keys[slot] ?? "").split("\u0000");
      const object: Record<string, string> = {};
      for (let i = 0; i < this.labelNames.length; i++) object[this.labelNames[i]] = values[i];
      labels = Object.freeze(object);
      this.labelObjects[slot] = labels;
    }
    return labels;
  }

  /**
   * Drops series whose numbers have not changed for `idleMs` (checked at snapshot time by
   * comparing a fingerprint of the slot with the last one seen, so the hot path stays untouched).
   * A no-label series is never expired.
   */
  expireIdle(nowMs: number, idleMs: number): void {
    if (this.labelNames.length === 0) return;
    if (this.#seen.length < this.gens.length) {
      const seen = new Float64Array(this.gens.length);
      seen.set(this.#seen);
      this.#seen = seen;
      const changed = new Float64Array(this.gens.length);
      changed.set(this.#changedAt);
      this.#changedAt = changed;
    }
    for (const [key, slot] of this.index) {
      let fingerprint = 0;
      for (let i = slot * this.stride; i < (slot + 1) * this.stride; i++) fingerprint += this.values[i];
      if (fingerprint !== this.#seen[slot] || this.#changedAt[slot] === 0) {
        this.#seen[slot] = fingerprint;
        this.#changedAt[slot] = nowMs;
      } else if (nowMs - this.#changedAt[slot] >= idleMs) {
        this.remove(key);
        this.#changedAt[slot] = 0;
      }
    }
  }

  /** Live slots in creation-key order of the map (insertion order). */
  slots(): IterableIterator<number> {
    return this.index.values();
  }
}
