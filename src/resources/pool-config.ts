/**
 * Fixed-block pool configuration (the seed's PoolManager::PoolConfig) and the contract both
 * block pools implement. Blocks are carved from large buffers, so allocation and free are O(1)
 * index operations on a free stack: no per-block allocation and no fragmentation.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { isPowerOfTwo, isResourceType, type ResourceType } from "./types.js";

export interface PoolConfig {
  readonly type: ResourceType;
  /** Bytes per block; a positive integer. */
  readonly blockSize: number;
  /** Blocks carved up front. */
  readonly initialCount: number;
  /** Most blocks the pool grows to. */
  readonly maxCount: number;
  /** Every block's offset is a multiple of this power of two; 8 when omitted. */
  readonly alignment?: number;
  /** Backs the pool with SharedArrayBuffer and Atomics so worker_threads share it. */
  readonly threadSafe?: boolean;
  /** Unique within a pool manager. */
  readonly name: string;
  /**
   * Where a local pool's slabs come from (the tracked buffer allocator, so pool memory shows in
   * its counts); `new ArrayBuffer` when omitted. Shared pools always use SharedArrayBuffer.
   */
  readonly allocator?: SlabAllocator;
}

/** The one call a pool makes to get a slab; `createTrackedAllocator()` fits. */
export interface SlabAllocator {
  allocate(bytes: number): ArrayBuffer;
}

/** A checked configuration, defaults filled in. */
export type ValidPoolConfig = Required<Omit<PoolConfig, "allocator">> & Pick<PoolConfig, "allocator">;

/** The seed's pool statistics, as plain data. */
export interface PoolStats {
  readonly name: string;
  readonly kind: "block" | "object";
  readonly type: string;
  readonly blockSize: number;
  readonly threadSafe: boolean;
  /** Blocks (or objects) handed out now. */
  readonly used: number;
  /** Blocks (or idle objects) ready to hand out now. */
  readonly free: number;
  /** Blocks (or objects) that exist now; grows up to `maxCount`. */
  readonly capacity: number;
  readonly maxCount: number;
  readonly usedBytes: number;
  readonly freeBytes: number;
  readonly totalCapacity: number;
  /** Allocations served from a free block. */
  readonly hits: number;
  /** Allocations that had to grow the pool or found it full. */
  readonly misses: number;
  /** Allocations refused because the pool was at `maxCount` and full. */
  readonly failures: number;
  /** Highest `used` seen. */
  readonly highWater: number;
  /** Frees of a block that was not in use (double free or a bad index), counted and ignored. */
  readonly badFrees: number;
  /** Object pools: acquires waiting for an object. */
  readonly waiting?: number;
  /** Object pools: factory calls that threw or rejected. */
  readonly createErrors?: number;
  /** Object pools: leases reported for being held past `leaseTimeoutMs`. */
  readonly leaseTimeouts?: number;
  /** Object pools: objects destroyed for idling or living too long, or failing validation. */
  readonly evicted?: number;
}

/** What the manager and callers use of a block pool, local or shared. */
export interface BlockPool {
  readonly name: string;
  readonly type: ResourceType;
  readonly blockSize: number;
  /** Distance between block starts: blockSize rounded up to the alignment. */
  readonly stride: number;
  readonly threadSafe: boolean;
  /** Takes a free block and returns its index, or -1 when the pool is full. Never throws. */
  allocate(): number;
  /** Returns a block; false (and counted) when it was not in use. Never throws. */
  free(index: number): boolean;
  /** A view over the block's bytes (allocates the view object; keep it rather than calling per access). */
  view(index: number): Uint8Array;
  stats(): PoolStats;
}

/** Throws when a pool configuration is malformed; returns it with defaults filled in. */
export function validatePoolConfig(config: PoolConfig): ValidPoolConfig {
  const name = config?.name;
  const where = `[resources:pool] pool ${typeof name === "string" ? `"${name}"` : "(unnamed)"}`;
  const bad = (what: string): never => {
    throw new HeadroomError(ErrorCode.InvalidArgument, `${where}: ${what}`, { data: { config } });
  };
  if (config === null || typeof config !== "object") bad("config must be an object");
  if (typeof name !== "string" || name.length === 0) bad("name must be a non-empty string");
  if (!isResourceType(config.type)) bad(`type ${String(config.type)} is not one ResourceType`);
  const { blockSize, initialCount, maxCount } = config;
  const alignment = config.alignment ?? 8;
  if (!Number.isSafeInteger(blockSize) || blockSize <= 0)
    bad(`blockSize ${String(blockSize)} must be a positive integer`);
  if (!isPowerOfTwo(alignment)) bad(`alignment ${String(alignment)} must be a power of two`);
  if (!Number.isSafeInteger(initialCount) || initialCount < 0) {
    bad(`initialCount ${String(initialCount)} must be a non-negative integer`);
  }
  if (!Number.isSafeInteger(maxCount) || maxCount < 1 || maxCount < initialCount) {
    bad(`maxCount ${String(maxCount)} must be an integer >= max(1, initialCount)`);
  }
  if (maxCount > 0x3fffffff) bad(`maxCount ${maxCount} is too large`);
  const stride = strideOf(blockSize, alignment);
  if (stride * maxCount > 2 ** 32) bad(`maxCount * blockSize ${stride * maxCount} exceeds 4 GiB`);
  if (config.allocator !== undefined && typeof config.allocator?.allocate !== "function") {
    bad("allocator must have an allocate(bytes) method");
  }
  return {
    type: config.type,
    blockSize,
    initialCount,
    maxCount,
    alignment,
    threadSafe: config.threadSafe === true,
    name,
    allocator: config.allocator,
  };
}

export function strideOf(blockSize: number, alignment: number): number {
  return Math.ceil(blockSize / alignment) * alignment;
}
