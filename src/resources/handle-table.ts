/**
 * Live resources, addressed by handle. A handle names a slot and the slot's generation; freeing
 * a slot bumps its generation, so a handle kept past its release (a stale handle) no longer
 * matches and is detected instead of reaching whatever reuses the slot.
 */
import type { ResourceMetadata, ResourcePriority, ResourceType } from "./types.js";

/** The seed's ResourceHandle: unique id with a generation, name and metadata. Plain and frozen. */
export interface ResourceHandle {
  /** Slot number; unique among live resources of one manager. */
  readonly id: number;
  /** Bumped each time the slot is reused; a mismatch means the handle is stale. */
  readonly generation: number;
  readonly name: string;
  readonly metadata: ResourceMetadata;
  /** Which manager issued the handle; a handle from another manager is refused. */
  readonly managerId: number;
}

/** The manager's private record of one live resource. */
export interface ResourceEntry {
  readonly handle: ResourceHandle;
  readonly type: ResourceType;
  readonly sizeBytes: number;
  readonly priority: ResourcePriority;
  /** The acquirer ("" when anonymous). */
  readonly owner: string;
  /** Shares by owner name (`shareResource`); created on the first share, so most entries have none. */
  shares: Map<string, number> | undefined;
  /** References outstanding; the resource is freed when this reaches 0. */
  refCount: number;
  /** Whether the acquirer's own reference is still held (the one `releaseResource(handle)` drops). */
  primaryHeld: boolean;
  /** Whether the acquisition was an emergency grant (reported). */
  readonly emergency: boolean;
  value: unknown;
  readonly destroy: ((value: unknown) => void) | undefined;
  /** Pool and block index when the value is a pool block. */
  readonly poolName: string | undefined;
  readonly block: number;
  readonly createdMs: number;
  /** Acquiring stack, in debug mode only. */
  readonly stack: string | undefined;
}

/** Owners holding the resource now: the acquirer while its reference is held, then each sharer once. */
export function holdersOf(entry: ResourceEntry): string[] {
  const out = entry.primaryHeld ? [entry.owner] : [];
  if (entry.shares !== undefined)
    for (const owner of entry.shares.keys()) if (!out.includes(owner)) out.push(owner);
  return out;
}

export class HandleTable {
  #entries: (ResourceEntry | undefined)[] = [];
  #generations: number[] = [];
  #free: number[] = [];
  // Released names are marked -1 rather than deleted: V8 Maps degrade badly (tens of us per
  // operation at 10k entries) when one key is set and deleted over and over, which is exactly
  // what acquiring and releasing a named resource does. Marks are swept once they outnumber the
  // live names, which keeps the amortized cost O(1).
  #byName = new Map<string, number>();
  #marks = 0;
  #live = 0;

  get size(): number {
    return this.#live;
  }

  /** The slot and generation the next `insert` will use. */
  nextSlot(): { id: number; generation: number } {
    const id = this.#free.length > 0 ? this.#free[this.#free.length - 1] : this.#entries.length;
    return { id, generation: this.#generations[id] ?? 0 };
  }

  /** Stores `entry` in the slot `nextSlot()` named. */
  insert(entry: ResourceEntry): void {
    const id = entry.handle.id;
    if (this.#free.length > 0 && this.#free[this.#free.length - 1] === id) this.#free.pop();
    else this.#generations[id] = entry.handle.generation;
    this.#entries[id] = entry;
    if (this.#byName.get(entry.handle.name) === -1) this.#marks--;
    this.#byName.set(entry.handle.name, id);
    this.#live++;
  }

  /** The live entry the handle names, or undefined when it is stale or unknown. */
  get(handle: ResourceHandle): ResourceEntry | undefined {
    const e = this.#entries[handle.id];
    return e !== undefined && e.handle.generation === handle.generation ? e : undefined;
  }

  /** The entry at slot `id` if its generation is still `generation`. */
  at(id: number, generation: number): ResourceEntry | undefined {
    const e = this.#entries[id];
    return e !== undefined && e.handle.generation === generation ? e : undefined;
  }

  byName(name: string): ResourceEntry | undefined {
    const id = this.#byName.get(name);
    return id === undefined || id < 0 ? undefined : this.#entries[id];
  }

  remove(entry: ResourceEntry): void {
    const id = entry.handle.id;
    if (this.#entries[id] !== entry) return;
    this.#entries[id] = undefined;
    this.#generations[id] = entry.handle.generation + 1;
    this.#free.push(id);
    if (this.#byName.get(entry.handle.name) === id) {
      this.#byName.set(entry.handle.name, -1);
      if (++this.#marks > 1024 && this.#marks > this.#live) this.#sweep();
    }
    this.#live--;
  }

  #sweep(): void {
    const fresh = new Map<string, number>();
    for (const [name, id] of this.#byName) if (id >= 0) fresh.set(name, id);
    this.#byName = fresh;
    this.#marks = 0;
  }

  *entries(): IterableIterator<ResourceEntry> {
    for (const e of this.#entries) if (e !== undefined) yield e;
  }
}
