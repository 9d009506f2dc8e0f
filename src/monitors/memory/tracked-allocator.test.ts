import assert from "node:assert/strict";
import { test } from "node:test";
import { isHeadroomError } from "../../errors.js";
import { createTrackedAllocator, LARGE_ALLOCATION_BYTES } from "./tracked-allocator.js";

test("allocate and free count exactly, split at 1 MB", () => {
  const a = createTrackedAllocator();
  const small = a.allocate(100);
  const large = a.allocate(LARGE_ALLOCATION_BYTES);
  const bytes = a.allocateBytes(50);
  assert.equal(small.byteLength, 100);
  assert.ok(bytes instanceof Uint8Array);
  let s = a.stats();
  assert.equal(s.totalAllocations, 3);
  assert.equal(s.currentBytes, 150 + LARGE_ALLOCATION_BYTES);
  assert.equal(s.largeAllocations, 1);
  assert.equal(s.largeAllocationBytes, LARGE_ALLOCATION_BYTES);
  assert.equal(s.smallAllocations, 2);
  assert.equal(s.smallAllocationBytes, 150);
  assert.equal(a.free(large), true);
  assert.equal(a.free(bytes), true, "a view frees its backing buffer");
  s = a.stats();
  assert.equal(s.totalDeallocations, 2);
  assert.equal(s.currentBytes, 100);
  assert.equal(s.peakBytes, 150 + LARGE_ALLOCATION_BYTES);
  assert.equal(s.bytesDeallocatedLifetime, 50 + LARGE_ALLOCATION_BYTES);
  assert.equal(s.liveAllocations, 1);
  assert.ok(a.owns(small));
  assert.ok(!a.owns(large));
});

test("reallocate keeps the content and counts growth and shrinkage", () => {
  const a = createTrackedAllocator();
  const buf = a.allocate(4);
  new Uint8Array(buf).set([1, 2, 3, 4]);
  const grown = a.reallocate(buf, 8);
  assert.deepEqual([...new Uint8Array(grown)], [1, 2, 3, 4, 0, 0, 0, 0]);
  assert.ok(!a.owns(buf));
  const shrunk = a.reallocate(new Uint8Array(grown), 2);
  assert.deepEqual([...new Uint8Array(shrunk)], [1, 2]);
  const s = a.stats();
  assert.equal(s.totalReallocations, 2);
  assert.equal(s.totalAllocations, 1);
  assert.equal(s.bytesAllocatedLifetime, 8);
  assert.equal(s.bytesDeallocatedLifetime, 6);
  assert.equal(s.currentBytes, 2);
  assert.equal(s.peakBytes, 8);
  assert.equal(s.liveAllocations, 1);
});

test("double free, foreign buffers and bad sizes are reported, not fatal", () => {
  const a = createTrackedAllocator();
  const buf = a.allocate(10);
  assert.equal(a.free(buf), true);
  assert.equal(a.free(buf), false);
  assert.equal(a.free(new ArrayBuffer(3)), false);
  assert.equal(a.free({} as ArrayBuffer), false);
  const fresh = a.reallocate(new ArrayBuffer(3), 5);
  assert.equal(fresh.byteLength, 5);
  const s = a.stats();
  assert.equal(s.invalidFrees, 4);
  assert.equal(s.currentBytes, 5);
  assert.equal(s.totalDeallocations, 1);
  for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(
      () => a.allocate(bad),
      (e) => isHeadroomError(e, "HR_INVALID_VALUE"),
    );
  }
  assert.throws(
    () => a.reallocate(fresh, -2),
    (e) => isHeadroomError(e, "HR_INVALID_VALUE"),
  );
  assert.equal(a.stats().totalAllocations, 2, "a rejected size counts nothing");
});

test("resetPeak drops the peak to the current level, interleaved with allocations", () => {
  const a = createTrackedAllocator();
  const held: ArrayBuffer[] = [];
  let expected = 0;
  let expectedPeak = 0;
  // A fixed pseudo-random interleaving of allocate, free and resetPeak.
  let seed = 7;
  for (let i = 0; i < 2000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const op = seed % 5;
    if (op < 2) {
      const size = seed % 4096;
      held.push(a.allocate(size));
      expected += size;
      expectedPeak = Math.max(expectedPeak, expected);
    } else if (op < 4 && held.length > 0) {
      const buf = held.splice(seed % held.length, 1)[0];
      expected -= buf.byteLength;
      a.free(buf);
    } else {
      a.resetPeak();
      expectedPeak = expected;
    }
    const s = a.stats();
    assert.equal(s.currentBytes, expected);
    assert.equal(s.peakBytes, expectedPeak);
    assert.ok(s.peakBytes >= s.currentBytes);
  }
  const s = a.stats();
  assert.equal(s.liveAllocations, held.length);
  assert.equal(s.bytesAllocatedLifetime - s.bytesDeallocatedLifetime, s.currentBytes);
});
