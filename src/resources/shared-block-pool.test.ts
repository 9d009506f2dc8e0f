import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Worker } from "node:worker_threads";
import { validatePoolConfig } from "./pool-config.js";
import { SharedBlockPool } from "./shared-block-pool.js";
import { ResourceType } from "./types.js";

const workerUrl = new URL("../../test/fixtures/resources/hammer-worker.ts", import.meta.url);

describe("shared block pool across worker_threads", () => {
  it("never hands a block out twice while several workers hammer it", async () => {
    const pool = new SharedBlockPool(
      validatePoolConfig({
        type: ResourceType.Memory,
        blockSize: 8,
        initialCount: 2,
        maxCount: 24,
        alignment: 8,
        threadSafe: true,
        name: "hammer",
      }),
    );
    const owners = new SharedArrayBuffer(24 * 4);
    const errors = new SharedArrayBuffer(4);
    const ready = new SharedArrayBuffer(4);
    const workers = 4;
    const iterations = 40_000;
    const results = await Promise.all(
      Array.from({ length: workers }, (_, i) => {
        // The worker registers tsx itself: a TypeScript entry cannot be loaded before hooks exist.
        const boot = `import("tsx/esm/api").then((t) => { t.register(); return import(${JSON.stringify(workerUrl.href)}); })`;
        const worker = new Worker(boot, {
          eval: true,
          workerData: {
            descriptor: pool.descriptor(),
            owners,
            errors,
            ready,
            workers,
            id: i + 1,
            iterations,
          },
        });
        return new Promise<{ allocations: number; refusals: number }>((resolve, reject) => {
          worker.once("message", resolve);
          worker.once("error", reject);
        });
      }),
    );
    assert.equal(new Int32Array(errors)[0], 0);
    const allocations = results.reduce((n, r) => n + r.allocations, 0);
    const refusals = results.reduce((n, r) => n + r.refusals, 0);
    const s = pool.stats();
    assert.equal(s.used, 0);
    assert.equal(s.free, s.capacity);
    // Each worker holds up to 7 blocks, so contention grows the pool past one worker's needs.
    assert.ok(s.capacity >= 7 && s.capacity <= 24, `capacity ${s.capacity}`);
    assert.equal(s.failures, refusals);
    assert.equal(s.hits + s.misses - s.failures, allocations);
    assert.equal(s.badFrees, 0);
    assert.ok(s.highWater <= 24);
    assert.ok(new Int32Array(owners).every((o) => o === 0));
  });
});
