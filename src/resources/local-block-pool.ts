/**
 * A single-threaded fixed-block pool. Blocks live in slabs (one ArrayBuffer each; the first
 * holds `initialCount` blocks, each later one doubles the capacity up to `maxCount`). Free
 * blocks sit on an Int32Array stack; a Uint8Array marks blocks in use so a double free is
 * caught. Bookkeeping is 7 bytes per block (stack, in-use mark, slab number).
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import {
  type BlockPool,
  type PoolConfig,
  type PoolStats,
  type SlabAllocator,
  strideOf,
  type ValidPoolConfig,
} from "./pool-config.js";
import { resourceTypeName } from "./types.js";

export class LocalBlockPool implements BlockPool {
  readonly name: string;
  readonly type: PoolConfig["type"];
  readonly blockSize: number;
  readonly stride: number;
  readonly threadSafe = false;
  readonly maxCount: number;
  #stack: Int32Array;
  #top = 0;
  #inUse: Uint8Array;
  #slabOf: Uint16Array;
  #slabs: ArrayBuffer[] = [];
  readonly #allocator: SlabAllocator | undefined;
  #slabStart: number[] = [];
  #capacity = 0;
  #used = 0;
  #hits = 0;
  #misses = 0;
  #failures = 0;
  #highWater = 0;
  #badFrees = 0;

  /** `config` must already be validated (`validatePoolConfig`). */
  constructor(config: ValidPoolConfig) {
    this.name = config.name;
    this.type = config.type;
    this.blockSize = config.blockSize;
    this.stride = strideOf(config.blockSize, config.alignment);
    this.maxCount = config.maxCount;
    this.#allocator = config.allocator;
    this.#stack = new Int32Array(config.maxCount);
    this.#inUse = new Uint8Array(config.maxCount);
    this.#slabOf = new Uint16Array(config.maxCount);
    if (config.initialCount > 0) this.#grow(config.initialCount);
  }

  allocate(): number {
    if (this.#top === 0) {
      this.#misses++;
      if (this.#capacity >= this.maxCount) {
        this.#failures++;
        return -1;
      }
      try {
        this.#grow(Math.min(Math.max(this.#capacity, 1), this.maxCount - this.#capacity));
      } catch {
        // Out of memory (or a failing allocator): a refusal, like a full pool, never a throw.
        this.#failures++;
        return -1;
      }
    } else {
      this.#hits++;
    }
    const index = this.#stack[--this.#top];
    this.#inUse[index] = 1;
    if (++this.#used > this.#highWater) this.#highWater = this.#used;
    return index;
  }

  free(index: number): boolean {
    if (!(index >= 0 && index < this.#capacity) || this.#inUse[index] !== 1) {
      this.#badFrees++;
      return false;
    }
    this.#inUse[index] = 0;
    this.#stack[this.#top++] = index;
    this.#used--;
    return true;
  }

  view(index: number): Uint8Array {
    if (!(index >= 0 && index < this.#capacity)) throw badIndex(this.name, index);
    const slab = this.#slabOf[index];
    const offset = (index - this.#slabStart[slab]) * this.stride;
    return new Uint8Array(this.#slabs[slab], offset, this.blockSize);
  }

  stats(): PoolStats {
    const free = this.#capacity - this.#used;
    return {
      name: this.name,
      kind: "block",
      type: resourceTypeName(this.type),
      blockSize: this.blockSize,
      threadSafe: false,
      used: this.#used,
      free,
      capacity: this.#capacity,
      maxCount: this.maxCount,
      usedBytes: this.#used * this.blockSize,
      freeBytes: free * this.blockSize,
      totalCapacity: this.#capacity * this.blockSize,
      hits: this.#hits,
      misses: this.#misses,
      failures: this.#failures,
      highWater: this.#highWater,
      badFrees: this.#badFrees,
    };
  }

  // Pushes the new blocks highest index first so allocation hands out low indices first.
  #grow(count: number): void {
    const slab = this.#slabs.length;
    const start = this.#capacity;
    const bytes = count * this.stride;
    this.#slabs.push(
      this.#allocator === undefined ? new ArrayBuffer(bytes) : this.#allocator.allocate(bytes),
    );
    this.#slabStart.push(start);
    for (let i = start + count - 1; i >= start; i--) {
      this.#slabOf[i] = slab;
      this.#stack[this.#top++] = i;
    }
    this.#capacity += count;
  }
}

/** Thrown by `view` for an index the pool never handed out (a caller bug, not a hot-path event). */
export function badIndex(pool: string, index: number): HeadroomError {
  return new HeadroomError(
    ErrorCode.InvalidArgument,
    `[resources:pool] "${pool}": no block ${String(index)}`,
    {
      data: { pool, index },
    },
  );
}
