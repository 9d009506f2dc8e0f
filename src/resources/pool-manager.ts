/**
 * The seed's PoolManager: named fixed-block pools (local, or shared between worker_threads
 * when `threadSafe`) and generic object pools, with their statistics as plain data.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { LocalBlockPool } from "./local-block-pool.js";
import type { ObjectPool, ObjectPoolOptions } from "./object-pool.js";
import { createObjectPool } from "./object-pool.js";
import { type BlockPool, type PoolConfig, type PoolStats, validatePoolConfig } from "./pool-config.js";
import { SharedBlockPool } from "./shared-block-pool.js";
import type { ResourceType } from "./types.js";

export class PoolManager {
  #blockPools = new Map<string, BlockPool>();
  #objectPools = new Map<string, ObjectPool<unknown>>();

  /**
   * Creates a fixed-block pool. Throws HR_INVALID_ARGUMENT on a bad config (non-positive
   * sizes, an alignment that is not a power of two, maxCount below initialCount) and
   * HR_ALREADY_REGISTERED (with `data.existing`) when the name is taken.
   */
  createPool(config: PoolConfig): BlockPool {
    const valid = validatePoolConfig(config);
    this.#checkFree(valid.name);
    const pool = valid.threadSafe ? new SharedBlockPool(valid) : new LocalBlockPool(valid);
    this.#blockPools.set(valid.name, pool);
    return pool;
  }

  /** Creates a generic object pool (connections, parsers...); same naming rules as `createPool`. */
  createObjectPool<T>(options: ObjectPoolOptions<T>): ObjectPool<T> {
    const pool = createObjectPool(options);
    this.#checkFree(pool.name);
    this.#objectPools.set(pool.name, pool as ObjectPool<unknown>);
    return pool;
  }

  getPool(name: string): BlockPool | undefined {
    return this.#blockPools.get(name);
  }

  getObjectPool<T>(name: string): ObjectPool<T> | undefined {
    return this.#objectPools.get(name) as ObjectPool<T> | undefined;
  }

  /**
   * Statistics of the pool named `name`, or (the seed's form) of the first block pool with
   * this type and block size. Undefined when there is none.
   */
  getPoolStats(name: string): PoolStats | undefined;
  getPoolStats(type: ResourceType, blockSize: number): PoolStats | undefined;
  getPoolStats(key: string | ResourceType, blockSize?: number): PoolStats | undefined {
    if (typeof key === "string") return (this.#blockPools.get(key) ?? this.#objectPools.get(key))?.stats();
    for (const pool of this.#blockPools.values()) {
      if (pool.type === key && pool.blockSize === blockSize) return pool.stats();
    }
    return undefined;
  }

  /** Every pool's statistics, block pools first, each group in creation order. */
  listPoolStats(): PoolStats[] {
    const out: PoolStats[] = [];
    for (const pool of this.#blockPools.values()) out.push(pool.stats());
    for (const pool of this.#objectPools.values()) out.push(pool.stats());
    return out;
  }

  /** Forgets a pool (an object pool is closed); false when there is none by that name. */
  async destroyPool(name: string): Promise<boolean> {
    if (this.#blockPools.delete(name)) return true;
    const pool = this.#objectPools.get(name);
    if (pool === undefined) return false;
    this.#objectPools.delete(name);
    await pool.close();
    return true;
  }

  /** Closes every object pool; block pools need no closing. */
  async closeAll(): Promise<void> {
    const pools = [...this.#objectPools.values()];
    this.#objectPools.clear();
    this.#blockPools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }

  #checkFree(name: string): void {
    const existing = this.#blockPools.get(name) ?? this.#objectPools.get(name);
    if (existing !== undefined) {
      throw new HeadroomError(ErrorCode.AlreadyRegistered, `[resources:pool] a pool named "${name}" exists`, {
        data: { existing },
      });
    }
  }
}
