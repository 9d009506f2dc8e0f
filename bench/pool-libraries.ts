/**
 * The three pools bench/resources.ts compares, behind one small interface, and the timed
 * round they all run.
 */
import genericPool from "generic-pool";
import { Pool as TarnPool } from "tarn";
import { createObjectPool } from "../src/resources/object-pool.js";

/** "floor" is no library: the least a fair promise-returning pool can do (`floorPool`). */
export type PoolLibrary = "headroom" | "generic-pool" | "tarn" | "floor";

export interface AsyncPool {
  acquire(): Promise<object>;
  release(obj: object): unknown;
  close(): Promise<void>;
}

/** A pool of `size` objects, all made up front. */
export function makePool(library: PoolLibrary, size: number): AsyncPool {
  let n = 0;
  switch (library) {
    case "headroom": {
      const pool = createObjectPool<object>({
        name: "bench",
        create: () => ({ id: n++ }),
        max: size,
        min: size,
      });
      return { acquire: () => pool.acquire(), release: (o) => pool.release(o), close: () => pool.close() };
    }
    case "generic-pool": {
      const pool = genericPool.createPool(
        { create: async (): Promise<object> => ({ id: n++ }), destroy: async () => {} },
        { max: size, min: size },
      );
      return {
        acquire: () => pool.acquire(),
        release: (o) => pool.release(o),
        close: async () => {
          await pool.drain();
          await pool.clear();
        },
      };
    }
    case "tarn": {
      const pool = new TarnPool<object>({
        create: async () => ({ id: n++ }),
        destroy: () => {},
        min: size,
        max: size,
      });
      return {
        acquire: () => pool.acquire().promise,
        release: (o) => pool.release(o),
        close: async () => {
          await pool.destroy();
        },
      };
    }
    case "floor":
      return floorPool(size);
  }
}

/**
 * The least a pool can do and still hand objects to waiters in FIFO order through promises:
 * an idle stack, a queue of resolvers, and nothing else (no validation, stats, leases or
 * timeouts). What it costs per pair is promise and async-function machinery that every such
 * pool pays, so its ratio to generic-pool bounds the ratio any of them can reach here.
 */
function floorPool(size: number): AsyncPool {
  const idle: object[] = Array.from({ length: size }, (_, id) => ({ id }));
  const ready = new Map(idle.map((o) => [o, Promise.resolve(o)]));
  let waiters: (((o: object) => void) | undefined)[] = [];
  let head = 0;
  let parked: (o: object) => void = () => {};
  const park = (resolve: (o: object) => void) => {
    parked = resolve;
  };
  return {
    acquire() {
      if (idle.length > 0 && head === waiters.length) return ready.get(idle.pop()!)!;
      const p = new Promise<object>(park);
      waiters.push(parked);
      return p;
    },
    release(o) {
      if (head === waiters.length) {
        idle.push(o);
        return;
      }
      const resolve = waiters[head]!;
      waiters[head++] = undefined;
      if (head > 1024 && head * 2 > waiters.length) {
        waiters = waiters.slice(head);
        head = 0;
      }
      resolve(o);
    },
    close: async () => {},
  };
}

/**
 * One timed round: ns per acquire+release with `workers` concurrent loops sharing `pool`.
 * A round ends when every loop has done its share.
 */
export async function pairRound(pool: AsyncPool, workers: number, pairs: number): Promise<number> {
  const perWorker = Math.ceil(pairs / workers);
  const loop = async () => {
    for (let i = 0; i < perWorker; i++) {
      const obj = await pool.acquire();
      // Not awaited: a caller hands the object back and moves on (generic-pool's and tarn's
      // release return once the object is queued too).
      pool.release(obj);
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: workers }, loop));
  return Number(process.hrtime.bigint() - start) / (perWorker * workers);
}
