/**
 * A fixed-block pool that several worker_threads share. Its state lives in two
 * SharedArrayBuffers: a control array (a lock word, counters, the free stack and in-use marks)
 * and the data, reserved for `maxCount` blocks up front (pages the OS has not touched cost
 * nothing, so growth is only a matter of pushing more indices onto the free stack).
 *
 * Every allocate and free runs under one futex-style lock (Atomics.compareExchange, and
 * Atomics.wait when contended where the runtime allows waiting; a spin otherwise), which keeps
 * the stack, the in-use marks and the counters consistent with each other: a block is never
 * handed out twice. Pass `descriptor()` to a worker and `attachSharedBlockPool` it there.
 */
import { badIndex } from "./local-block-pool.js";
import { type BlockPool, type PoolStats, strideOf, type ValidPoolConfig } from "./pool-config.js";
import { type ResourceType, resourceTypeName } from "./types.js";

// Control array layout (Int32 words).
const LOCK = 0;
const TOP = 1;
const CAPACITY = 2;
const USED = 3;
const HIGH_WATER = 4;
const HITS = 5;
const MISSES = 6;
const FAILURES = 7;
const BAD_FREES = 8;
const HEADER = 16;

/** Everything a worker needs to attach to a shared pool; structured-clone safe. */
export interface SharedPoolDescriptor {
  readonly name: string;
  readonly type: ResourceType;
  readonly blockSize: number;
  readonly alignment: number;
  readonly maxCount: number;
  readonly control: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
}

const canWait = (() => {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false; // a browser main thread may not block
  }
})();

export class SharedBlockPool implements BlockPool {
  readonly name: string;
  readonly type: ResourceType;
  readonly blockSize: number;
  readonly stride: number;
  readonly threadSafe = true;
  readonly maxCount: number;
  readonly #alignment: number;
  readonly #control: SharedArrayBuffer;
  readonly #data: SharedArrayBuffer;
  readonly #c: Int32Array;

  /** Creates a pool (from a validated config) or attaches to one (from a descriptor). */
  constructor(source: ValidPoolConfig | SharedPoolDescriptor) {
    this.name = source.name;
    this.type = source.type;
    this.blockSize = source.blockSize;
    this.#alignment = source.alignment;
    this.stride = strideOf(source.blockSize, source.alignment);
    this.maxCount = source.maxCount;
    if ("control" in source) {
      this.#control = source.control;
      this.#data = source.data;
      this.#c = new Int32Array(this.#control);
    } else {
      this.#control = new SharedArrayBuffer((HEADER + 2 * source.maxCount) * 4);
      this.#data = new SharedArrayBuffer(source.maxCount * this.stride);
      this.#c = new Int32Array(this.#control);
      if (source.initialCount > 0) this.#grow(source.initialCount);
    }
  }

  descriptor(): SharedPoolDescriptor {
    return {
      name: this.name,
      type: this.type,
      blockSize: this.blockSize,
      alignment: this.#alignment,
      maxCount: this.maxCount,
      control: this.#control,
      data: this.#data,
    };
  }

  allocate(): number {
    const c = this.#c;
    this.#lock();
    if (c[TOP] === 0) {
      c[MISSES]++;
      const capacity = c[CAPACITY];
      if (capacity >= this.maxCount) {
        c[FAILURES]++;
        this.#unlock();
        return -1;
      }
      this.#grow(Math.min(Math.max(capacity, 1), this.maxCount - capacity));
    } else {
      c[HITS]++;
    }
    const index = c[HEADER + --c[TOP]];
    c[HEADER + this.maxCount + index] = 1;
    if (++c[USED] > c[HIGH_WATER]) c[HIGH_WATER] = c[USED];
    this.#unlock();
    return index;
  }

  free(index: number): boolean {
    const c = this.#c;
    this.#lock();
    const mark = HEADER + this.maxCount + index;
    if (!(index >= 0 && index < c[CAPACITY]) || c[mark] !== 1) {
      c[BAD_FREES]++;
      this.#unlock();
      return false;
    }
    c[mark] = 0;
    c[HEADER + c[TOP]++] = index;
    c[USED]--;
    this.#unlock();
    return true;
  }

  view(index: number): Uint8Array {
    if (!(index >= 0 && index < Atomics.load(this.#c, CAPACITY))) throw badIndex(this.name, index);
    return new Uint8Array(this.#data, index * this.stride, this.blockSize);
  }

  stats(): PoolStats {
    const c = this.#c;
    this.#lock();
    const used = c[USED];
    const capacity = c[CAPACITY];
    const snapshot = [c[HITS], c[MISSES], c[FAILURES], c[HIGH_WATER], c[BAD_FREES]];
    this.#unlock();
    const free = capacity - used;
    return {
      name: this.name,
      kind: "block",
      type: resourceTypeName(this.type),
      blockSize: this.blockSize,
      threadSafe: true,
      used,
      free,
      capacity,
      maxCount: this.maxCount,
      usedBytes: used * this.blockSize,
      freeBytes: free * this.blockSize,
      totalCapacity: capacity * this.blockSize,
      hits: snapshot[0],
      misses: snapshot[1],
      failures: snapshot[2],
      highWater: snapshot[3],
      badFrees: snapshot[4],
    };
  }

  // Caller holds the lock (or is the constructor, before the pool is shared).
  #grow(count: number): void {
    const c = this.#c;
    const start = c[CAPACITY];
    for (let i = start + count - 1; i >= start; i--) c[HEADER + c[TOP]++] = i;
    c[CAPACITY] = start + count;
  }

  // Lock states: 0 free, 1 held, 2 held with possible waiters (Drepper, "Futexes are tricky").
  #lock(): void {
    const c = this.#c;
    let state = Atomics.compareExchange(c, LOCK, 0, 1);
    if (state === 0) return;
    let spins = 0;
    do {
      if (state === 2 || Atomics.compareExchange(c, LOCK, 1, 2) !== 0) {
        if (canWait) Atomics.wait(c, LOCK, 2);
        else if (++spins > 1_000_000) spins = 0; // keep spinning; nothing else can be done here
      }
      state = Atomics.compareExchange(c, LOCK, 0, 2);
    } while (state !== 0);
  }

  #unlock(): void {
    const c = this.#c;
    if (Atomics.sub(c, LOCK, 1) !== 1) {
      Atomics.store(c, LOCK, 0);
      Atomics.notify(c, LOCK, 1);
    }
  }
}

/** Attaches to a pool created in another thread. */
export function attachSharedBlockPool(descriptor: SharedPoolDescriptor): SharedBlockPool {
  return new SharedBlockPool(descriptor);
}
