/**
 * The tracked buffer allocator: JavaScript's stand-in for the seed's tracking allocator.
 * JavaScript cannot hook the engine's own allocator, so Headroom counts exactly the buffers
 * that go through this small API (directly, or through the resource manager's pools) and
 * leaves the rest of the heap to V8's statistics (see memory-monitor.ts).
 *
 * No `node:` import: pools in `src/resources/` use it, and it runs in a browser or worker.
 * Node `Buffer`s are Uint8Arrays, so `allocateBytes()` serves both; `free()` accepts the
 * ArrayBuffer or any view over it.
 */
import { ErrorCode, HeadroomError } from "../../errors.js";

/** Allocations of at least this many bytes count as "large" (the seed's 1 MB threshold). */
export const LARGE_ALLOCATION_BYTES = 1024 * 1024;

/** Exact counts since the allocator was created. Plain data; a fresh object per `stats()` call. */
export interface AllocatorStats {
  /** Bytes in live (allocated, not yet freed) buffers. */
  readonly currentBytes: number;
  /** Highest `currentBytes` since creation or the last `resetPeak()`. */
  readonly peakBytes: number;
  /** Buffers allocated and not freed. */
  readonly liveAllocations: number;
  readonly totalAllocations: number;
  readonly totalDeallocations: number;
  readonly totalReallocations: number;
  /** Bytes handed out: every allocation's size plus the growth of every reallocation. */
  readonly bytesAllocatedLifetime: number;
  /** Bytes given back: every freed buffer's size plus the shrinkage of every reallocation. */
  readonly bytesDeallocatedLifetime: number;
  /** Allocations (not reallocations) of at least LARGE_ALLOCATION_BYTES, and their bytes. */
  readonly largeAllocations: number;
  readonly largeAllocationBytes: number;
  /** Allocations below LARGE_ALLOCATION_BYTES, and their bytes. */
  readonly smallAllocations: number;
  readonly smallAllocationBytes: number;
  /** `free()`/`reallocate()` calls on a buffer this allocator does not own (foreign or already freed). */
  readonly invalidFrees: number;
}

export interface TrackedAllocator {
  /**
   * A new zero-filled ArrayBuffer of `bytes` bytes, counted as live until `free()`.
   * Throws HR_INVALID_VALUE when `bytes` is not a non-negative safe integer, and lets the
   * engine's RangeError through when memory runs out (nothing is counted then).
   */
  allocate(bytes: number): ArrayBuffer;
  /** Like `allocate()`, viewed as a Uint8Array (what a Node Buffer is). */
  allocateBytes(bytes: number): Uint8Array;
  /**
   * A buffer of `bytes` bytes holding the first `min(old, bytes)` bytes of `buf`; `buf` is no
   * longer owned (its memory is detached where the engine can transfer, copied otherwise).
   * Counts one reallocation. A `buf` this allocator does not own is allocated afresh and
   * counted in `invalidFrees`.
   */
  reallocate(buf: ArrayBuffer | ArrayBufferView, bytes: number): ArrayBuffer;
  /**
   * Gives `buf` back. Returns false (and counts `invalidFrees`) when this allocator does not
   * own it, e.g. a double free; never throws, so pool release paths stay simple.
   */
  free(buf: ArrayBuffer | ArrayBufferView): boolean;
  /** True while `buf` is live in this allocator. */
  owns(buf: ArrayBuffer | ArrayBufferView): boolean;
  stats(): AllocatorStats;
  /** Sets the peak to the current level (MemoryMonitor.resetPeakUsage). */
  resetPeak(): void;
}

function backing(buf: ArrayBuffer | ArrayBufferView): ArrayBuffer | undefined {
  if (buf instanceof ArrayBuffer) return buf;
  if (ArrayBuffer.isView(buf) && buf.buffer instanceof ArrayBuffer) return buf.buffer;
  return undefined;
}

function checkSize(bytes: number): void {
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new HeadroomError(
      ErrorCode.InvalidValue,
      `[allocator] size must be a non-negative integer, got ${bytes}`,
      {
        data: { bytes },
      },
    );
  }
}

type Transfer = (this: ArrayBuffer, length: number) => ArrayBuffer;
const transfer = (ArrayBuffer.prototype as { transfer?: Transfer }).transfer;

class Allocator implements TrackedAllocator {
  // Sizes are kept per buffer because a transferred (detached) buffer reports byteLength 0.
  readonly #sizes = new WeakMap<ArrayBuffer, number>();
  #current = 0;
  #peak = 0;
  #live = 0;
  #allocs = 0;
  #deallocs = 0;
  #reallocs = 0;
  #bytesIn = 0;
  #bytesOut = 0;
  #large = 0;
  #largeBytes = 0;
  #small = 0;
  #smallBytes = 0;
  #invalid = 0;

  allocate(bytes: number): ArrayBuffer {
    checkSize(bytes);
    const buf = new ArrayBuffer(bytes);
    this.#track(buf, bytes);
    return buf;
  }

  allocateBytes(bytes: number): Uint8Array {
    return new Uint8Array(this.allocate(bytes));
  }

  reallocate(buf: ArrayBuffer | ArrayBufferView, bytes: number): ArrayBuffer {
    checkSize(bytes);
    const old = backing(buf);
    const oldSize = old === undefined ? undefined : this.#sizes.get(old);
    if (old === undefined || oldSize === undefined) {
      this.#invalid++;
      return this.allocate(bytes);
    }
    let next: ArrayBuffer;
    if (transfer !== undefined) {
      next = transfer.call(old, bytes);
    } else {
      next = new ArrayBuffer(bytes);
      new Uint8Array(next).set(new Uint8Array(old, 0, Math.min(oldSize, bytes)));
    }
    this.#sizes.delete(old);
    this.#sizes.set(next, bytes);
    this.#reallocs++;
    if (bytes >= oldSize) this.#bytesIn += bytes - oldSize;
    else this.#bytesOut += oldSize - bytes;
    this.#current += bytes - oldSize;
    if (this.#current > this.#peak) this.#peak = this.#current;
    return next;
  }

  free(buf: ArrayBuffer | ArrayBufferView): boolean {
    const b = backing(buf);
    const size = b === undefined ? undefined : this.#sizes.get(b);
    if (b === undefined || size === undefined) {
      this.#invalid++;
      return false;
    }
    this.#sizes.delete(b);
    this.#deallocs++;
    this.#live--;
    this.#bytesOut += size;
    this.#current -= size;
    return true;
  }

  owns(buf: ArrayBuffer | ArrayBufferView): boolean {
    const b = backing(buf);
    return b !== undefined && this.#sizes.has(b);
  }

  stats(): AllocatorStats {
    return {
      currentBytes: this.#current,
      peakBytes: this.#peak,
      liveAllocations: this.#live,
      totalAllocations: this.#allocs,
      totalDeallocations: this.#deallocs,
      totalReallocations: this.#reallocs,
      bytesAllocatedLifetime: this.#bytesIn,
      bytesDeallocatedLifetime: this.#bytesOut,
      largeAllocations: this.#large,
      largeAllocationBytes: this.#largeBytes,
      smallAllocations: this.#small,
      smallAllocationBytes: this.#smallBytes,
      invalidFrees: this.#invalid,
    };
  }

  resetPeak(): void {
    this.#peak = this.#current;
  }

  #track(buf: ArrayBuffer, bytes: number): void {
    this.#sizes.set(buf, bytes);
    this.#allocs++;
    this.#live++;
    this.#bytesIn += bytes;
    if (bytes >= LARGE_ALLOCATION_BYTES) {
      this.#large++;
      this.#largeBytes += bytes;
    } else {
      this.#small++;
      this.#smallBytes += bytes;
    }
    this.#current += bytes;
    if (this.#current > this.#peak) this.#peak = this.#current;
  }
}

/** A new allocator with its own counts; pass it to a MemoryMonitor and to the pools that share it. */
export function createTrackedAllocator(): TrackedAllocator {
  return new Allocator();
}
