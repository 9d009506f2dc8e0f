import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ErrorCode, isHeadroomError } from "../errors.js";
import { createTrackedAllocator } from "../monitors/memory/tracked-allocator.js";
import { LocalBlockPool } from "./local-block-pool.js";
import { validatePoolConfig } from "./pool-config.js";
import { PoolManager } from "./pool-manager.js";
import { attachSharedBlockPool, SharedBlockPool } from "./shared-block-pool.js";
import { ResourceType } from "./types.js";

const config = (extra = {}) => ({
  type: ResourceType.Memory,
  blockSize: 100,
  initialCount: 2,
  maxCount: 5,
  alignment: 16,
  name: "AudioBufferPool",
  ...extra,
});

for (const [label, make] of [
  ["local", (c = config()) => new LocalBlockPool(validatePoolConfig(c))],
  ["shared", (c = config()) => new SharedBlockPool(validatePoolConfig({ ...c, threadSafe: true }))],
] as const) {
  describe(`${label} block pool`, () => {
    it("hands out distinct aligned blocks, grows to maxCount, then refuses", () => {
      const pool = make();
      assert.equal(pool.stride, 112);
      const got = new Set<number>();
      for (let i = 0; i < 5; i++) {
        const b = pool.allocate();
        assert.ok(b >= 0);
        assert.ok(!got.has(b));
        got.add(b);
      }
      assert.equal(pool.allocate(), -1);
      const s = pool.stats();
      assert.equal(s.used, 5);
      assert.equal(s.free, 0);
      assert.equal(s.capacity, 5);
      // 2 initial blocks; the 3rd allocation grows by 2, the 5th by 1, the 6th is refused.
      assert.equal(s.hits, 3);
      assert.equal(s.misses, 3);
      assert.equal(s.failures, 1);
      assert.equal(s.highWater, 5);
      assert.equal(s.usedBytes, 500);
      assert.equal(s.totalCapacity, 500);
    });

    it("frees in O(1), reuses blocks and counts double frees and bad indices", () => {
      const pool = make();
      const a = pool.allocate();
      assert.equal(pool.free(a), true);
      assert.equal(pool.free(a), false);
      assert.equal(pool.free(99), false);
      assert.equal(pool.free(-1), false);
      assert.equal(pool.free(Number.NaN), false);
      assert.equal(pool.stats().badFrees, 4);
      assert.equal(pool.allocate(), a);
      assert.equal(pool.stats().used, 1);
    });

    it("gives each block its own bytes", () => {
      const pool = make();
      const a = pool.allocate();
      const b = pool.allocate();
      const va = pool.view(a);
      const vb = pool.view(b);
      assert.equal(va.byteLength, 100);
      assert.equal(va.byteOffset % 16, 0);
      va.fill(1);
      vb.fill(2);
      assert.equal(va[99], 1);
      assert.equal(vb[0], 2);
      assert.throws(
        () => pool.view(5),
        (err) => isHeadroomError(err, ErrorCode.InvalidArgument),
      );
      assert.throws(() => pool.view(-1), /no block -1/);
    });
  });
}

describe("pool configuration", () => {
  it("rejects bad sizes, alignments and counts with the offending field", () => {
    const bad: [object, RegExp][] = [
      [{ blockSize: 0 }, /blockSize 0/],
      [{ blockSize: -4 }, /blockSize -4/],
      [{ blockSize: 1.5 }, /blockSize 1.5/],
      [{ alignment: 12 }, /alignment 12 must be a power of two/],
      [{ alignment: 0 }, /alignment 0/],
      [{ initialCount: -1 }, /initialCount -1/],
      [{ maxCount: 1, initialCount: 2 }, /maxCount 1/],
      [{ maxCount: 0, initialCount: 0 }, /maxCount 0/],
      [{ name: "" }, /name must be/],
      [{ type: 3 }, /type 3/],
      [{ blockSize: 2 ** 20, maxCount: 2 ** 13 }, /exceeds 4 GiB/],
    ];
    for (const [extra, message] of bad) {
      assert.throws(
        () => validatePoolConfig(config(extra)),
        (err) => isHeadroomError(err, ErrorCode.InvalidArgument) && message.test(err.message),
        JSON.stringify(extra),
      );
    }
  });

  it("the pool manager refuses duplicate names and finds pools by type and block size", () => {
    const pm = new PoolManager();
    const pool = pm.createPool(config());
    assert.throws(
      () => pm.createPool(config()),
      (err) => isHeadroomError(err, ErrorCode.AlreadyRegistered) && err.data?.existing === pool,
    );
    pm.createPool(config({ name: "Small", blockSize: 64, threadSafe: true }));
    assert.equal(pm.getPoolStats(ResourceType.Memory, 64)?.name, "Small");
    assert.equal(pm.getPoolStats(ResourceType.Memory, 64)?.threadSafe, true);
    assert.equal(pm.getPoolStats("AudioBufferPool")?.blockSize, 100);
    assert.equal(pm.getPoolStats(ResourceType.Hardware, 64), undefined);
    assert.deepEqual(
      pm.listPoolStats().map((s) => s.name),
      ["AudioBufferPool", "Small"],
    );
  });

  it("a shared pool attached from a descriptor sees the same state", () => {
    const pool = new SharedBlockPool(validatePoolConfig({ ...config(), threadSafe: true }));
    const other = attachSharedBlockPool(pool.descriptor());
    const a = pool.allocate();
    const b = other.allocate();
    assert.notEqual(a, b);
    other.view(a)[0] = 7;
    assert.equal(pool.view(a)[0], 7);
    assert.equal(pool.stats().used, 2);
    assert.equal(other.free(a), true);
    assert.equal(pool.free(a), false);
  });
});

describe("pool slabs from the tracked buffer allocator", () => {
  it("counts slab bytes in the allocator, and a failing allocator is a refusal, not a throw", () => {
    const allocator = createTrackedAllocator();
    const pool = new LocalBlockPool(validatePoolConfig({ ...config(), allocator }));
    assert.equal(allocator.stats().currentBytes, 2 * 112);
    pool.allocate();
    pool.allocate();
    pool.allocate(); // grows by two blocks
    assert.equal(allocator.stats().currentBytes, 4 * 112);
    assert.equal(allocator.stats().liveAllocations, 2);
    let fail = false;
    const flaky = new LocalBlockPool(
      validatePoolConfig({
        ...config({ initialCount: 1 }),
        allocator: {
          allocate: (n: number) => {
            if (fail) throw new RangeError("Array buffer allocation failed");
            return new ArrayBuffer(n);
          },
        },
      }),
    );
    assert.equal(flaky.allocate(), 0);
    fail = true;
    assert.equal(flaky.allocate(), -1);
    assert.equal(flaky.stats().failures, 1);
    assert.throws(
      () => validatePoolConfig({ ...config(), allocator: {} as never }),
      (err) => isHeadroomError(err, ErrorCode.InvalidArgument) && /allocator/.test(err.message),
    );
  });
});
