/**
 * Recording from worker threads: a bounded multi-producer, single-consumer queue in a
 * SharedArrayBuffer (Vyukov's per-slot sequence numbers). Workers `record` into it through a
 * `SharedUsageRecorder`; the tracker's thread drains it into `recordUsage`. Nothing is lost:
 * a producer that finds the queue full waits (Atomics.wait, workers only) until the consumer
 * frees a slot. Pure: no `node:` import; any worker API that can share the buffer works.
 */
const CTRL_ENQUEUE = 0;
const CTRL_SPACE = 1;
const CTRL_INTS = 4;

export interface SharedUsageLayout {
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
}

interface Views {
  ctrl: Int32Array;
  seq: Int32Array;
  ids: Int32Array;
  values: Float64Array;
  times: Float64Array;
  mask: number;
}

function views(buffer: SharedArrayBuffer, capacity: number): Views {
  let off = 0;
  const ctrl = new Int32Array(buffer, off, CTRL_INTS);
  off += CTRL_INTS * 4;
  const seq = new Int32Array(buffer, off, capacity);
  off += capacity * 4;
  const ids = new Int32Array(buffer, off, capacity);
  off += capacity * 4;
  off = Math.ceil(off / 8) * 8;
  const values = new Float64Array(buffer, off, capacity);
  off += capacity * 8;
  const times = new Float64Array(buffer, off, capacity);
  return { ctrl, seq, ids, values, times, mask: capacity - 1 };
}

/** Allocates a queue of `capacity` slots (rounded up to a power of two). */
export function createSharedUsageBuffer(capacity = 4096): SharedUsageLayout {
  let cap = 2;
  while (cap < capacity) cap *= 2;
  const bytes = CTRL_INTS * 4 + cap * 8 + 8 + cap * 16;
  const buffer = new SharedArrayBuffer(bytes);
  const v = views(buffer, cap);
  for (let i = 0; i < cap; i++) v.seq[i] = i;
  return { buffer, capacity: cap };
}

/** The producer side, constructed in each worker from the layout it was sent. */
export class SharedUsageRecorder {
  readonly #v: Views;
  readonly #cap: number;

  constructor(layout: SharedUsageLayout) {
    this.#v = views(layout.buffer, layout.capacity);
    this.#cap = layout.capacity;
  }

  /** Queues one sample for resource `id` (from `ResourceTracker.sharedId`); blocks while the queue is full. */
  record(id: number, value: number, timestamp: number = Date.now()): void {
    const v = this.#v;
    for (;;) {
      const pos = Atomics.load(v.ctrl, CTRL_ENQUEUE);
      const slot = pos & v.mask;
      const dif = (Atomics.load(v.seq, slot) - pos) | 0;
      if (dif === 0) {
        if (Atomics.compareExchange(v.ctrl, CTRL_ENQUEUE, pos, (pos + 1) | 0) !== pos) continue;
        v.ids[slot] = id;
        v.values[slot] = value;
        v.times[slot] = timestamp;
        Atomics.store(v.seq, slot, (pos + 1) | 0);
        return;
      }
      if (dif < 0) {
        // Full: wait for the consumer to signal freed space (bounded, then re-check).
        const gen = Atomics.load(v.ctrl, CTRL_SPACE);
        Atomics.wait(v.ctrl, CTRL_SPACE, gen, 5);
      }
    }
  }

  get capacity(): number {
    return this.#cap;
  }
}

/** The consumer side; one per queue, on the tracker's thread. */
export class SharedUsageConsumer {
  readonly #v: Views;
  readonly #cap: number;
  #pos = 0;

  constructor(layout: SharedUsageLayout) {
    this.#v = views(layout.buffer, layout.capacity);
    this.#cap = layout.capacity;
  }

  /** Hands every queued sample to `sink` in queue order; returns how many. */
  drain(sink: (id: number, value: number, timestamp: number) => void): number {
    const v = this.#v;
    let n = 0;
    for (;;) {
      const slot = this.#pos & v.mask;
      const dif = (Atomics.load(v.seq, slot) - ((this.#pos + 1) | 0)) | 0;
      if (dif !== 0) break;
      const id = v.ids[slot];
      const value = v.values[slot];
      const t = v.times[slot];
      Atomics.store(v.seq, slot, (this.#pos + this.#cap) | 0);
      this.#pos = (this.#pos + 1) | 0;
      n++;
      sink(id, value, t);
    }
    if (n > 0) {
      Atomics.add(v.ctrl, CTRL_SPACE, 1);
      Atomics.notify(v.ctrl, CTRL_SPACE);
    }
    return n;
  }
}
