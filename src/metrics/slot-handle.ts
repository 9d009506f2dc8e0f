/**
 * What every bound handle holds: its table, its slot and the slot's generation when bound.
 * A handle whose series was removed sees a new generation and drops its writes (counted as
 * stale) instead of writing into a slot that now belongs to another series.
 */
import type { SeriesTable } from "./series-table.js";

export abstract class SlotHandle {
  protected readonly table: SeriesTable;
  protected readonly slot: number;
  protected readonly gen: number;

  constructor(table: SeriesTable, slot: number) {
    this.table = table;
    this.slot = slot;
    this.gen = table.gens[slot];
  }

  /** True while the series still exists; counts a stale write otherwise. */
  protected live(): boolean {
    if (this.table.gens[this.slot] === this.gen) return true;
    this.table.stale++;
    return false;
  }

  /** The series' first number (a counter's or gauge's value), or 0 once it was removed. */
  get(): number {
    return this.table.gens[this.slot] === this.gen ? this.table.values[this.slot * this.table.stride] : 0;
  }
}
