import assert from "node:assert/strict";
import { test } from "node:test";
import { isHeadroomError } from "../../errors.js";
import { createRegistry } from "../../metrics/registry.js";
import { findValue } from "../../metrics/snapshot.js";
import type { HeapReading } from "./memory-monitor.js";
import { createMemoryMonitor } from "./node-memory-monitor.js";
import { createTrackedAllocator, LARGE_ALLOCATION_BYTES } from "./tracked-allocator.js";

function setup() {
  const heap = { usedHeapSize: 600, totalHeapSize: 1000 };
  const registry = createRegistry();
  const allocator = createTrackedAllocator();
  const monitor = createMemoryMonitor(registry, { allocator, heap: () => heap });
  return { heap, registry, allocator, monitor };
}

test("the report combines the allocator's exact counts with the heap reading", () => {
  const { heap, registry, allocator, monitor } = setup();
  assert.equal(monitor.getMemoryReport(), undefined);
  assert.equal(monitor.monitorId(), "SystemRAM");
  const big = allocator.allocate(LARGE_ALLOCATION_BYTES);
  const small = allocator.allocate(400);
  monitor.updateMemoryStats();
  const r1 = monitor.getMemoryReport();
  assert.ok(r1);
  assert.equal(r1.currentUsageBytes, 600 + LARGE_ALLOCATION_BYTES + 400);
  assert.equal(r1.allocationDeltaBytes, r1.currentUsageBytes);
  assert.equal(r1.sampleCount, 1);
  assert.equal(r1.largeAllocations, 1);
  assert.equal(r1.smallAllocationBytes, 400);
  assert.equal(r1.fragmentationRatio, 0.4);
  assert.equal(
    r1.allocationEfficiency,
    (600 + LARGE_ALLOCATION_BYTES + 400) / (1000 + LARGE_ALLOCATION_BYTES + 400),
  );
  assert.equal(r1.averageAllocationSize, (LARGE_ALLOCATION_BYTES + 400) / 2);
  assert.equal(r1.fragmentationStatus(), "High");

  allocator.free(big);
  allocator.reallocate(small, 100);
  heap.usedHeapSize = 900;
  monitor.update();
  const r2 = monitor.getMemoryReport();
  assert.ok(r2);
  assert.equal(r2.currentUsageBytes, 900 + 100);
  assert.equal(r2.peakUsageBytes, r1.currentUsageBytes);
  assert.equal(r2.allocationDeltaBytes, 0, "shrinking is a zero delta, as the seed's saturating sub");
  assert.equal(r2.totalDeallocations, 1);
  assert.equal(r2.totalReallocations, 1);
  assert.equal(r2.bytesDeallocatedLifetime, LARGE_ALLOCATION_BYTES + 300);
  assert.ok(Math.abs(r2.fragmentationRatio - 0.1) < 1e-12);
  assert.equal(r2.fragmentationStatus(), "Low");
  assert.equal(r2.memoryTurnoverRate(), (2 + 1 + 1) / 2);
  // No field is a constant: every one moved between the two readings.
  for (const key of Object.keys(r1) as (keyof typeof r1)[]) {
    if (key === "largeAllocations" || key === "largeAllocationBytes" || key === "smallAllocations") continue;
    if (key === "smallAllocationBytes" || key === "totalAllocations" || key === "bytesAllocatedLifetime")
      continue;
    if (key === "averageAllocationSize" || key === "peakUsageBytes") continue;
    assert.notEqual(r1[key], r2[key], key);
  }
  const snap = registry.snapshot();
  assert.equal(findValue(snap, "headroom_memory_current_bytes"), 1000);
  assert.equal(findValue(snap, "headroom_memory_tracked_bytes"), 100);
  assert.equal(findValue(snap, "headroom_memory_allocations_total", { size: "large" }), 1);
  assert.equal(findValue(snap, "headroom_memory_deallocations_total"), 1);
  assert.equal(findValue(snap, "headroom_memory_fragmentation_ratio"), r2.fragmentationRatio);
  assert.deepEqual(monitor.getUsageReport(), { currentBytes: 1000, peakBytes: r1.currentUsageBytes });
});

test("resetting peaks interleaved with allocations and updates keeps peak = max since the reset", () => {
  const { allocator, monitor } = setup();
  const held: ArrayBuffer[] = [];
  let seed = 11;
  let lastCurrent = 0;
  let expectedPeak = 0;
  for (let i = 0; i < 3000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const op = seed % 7;
    if (op < 3) held.push(allocator.allocate(seed % 100_000));
    else if (op < 5 && held.length > 0) allocator.free(held.splice(seed % held.length, 1)[0]);
    else if (op === 5) {
      monitor.resetPeakUsage();
      expectedPeak = lastCurrent;
    } else {
      monitor.updateMemoryStats();
      const r = monitor.getMemoryReport();
      assert.ok(r);
      lastCurrent = r.currentUsageBytes;
      expectedPeak = Math.max(expectedPeak, lastCurrent);
      assert.equal(r.peakUsageBytes, expectedPeak);
      assert.ok(r.peakUsageBytes >= r.currentUsageBytes);
      assert.equal(r.currentUsageBytes, 600 + allocator.stats().currentBytes);
    }
  }
});

test("an unusable heap reading is reported and the previous report stays", () => {
  let reading: HeapReading | undefined = { usedHeapSize: 1, totalHeapSize: 2 };
  const monitor = createMemoryMonitor(createRegistry(), { heap: () => reading as HeapReading });
  monitor.updateMemoryStats();
  for (const bad of [
    undefined,
    { usedHeapSize: Number.NaN, totalHeapSize: 2 },
    { usedHeapSize: -1, totalHeapSize: 2 },
  ]) {
    reading = bad;
    assert.throws(
      () => monitor.updateMemoryStats(),
      (e) => isHeadroomError(e, "HR_INVALID_VALUE"),
    );
    assert.equal(monitor.getMemoryReport()?.sampleCount, 1);
  }
});

test("with V8's heap: real numbers", () => {
  const monitor = createMemoryMonitor(createRegistry());
  const buf = monitor.allocator.allocate(2 * LARGE_ALLOCATION_BYTES);
  monitor.update();
  const r = monitor.getMemoryReport();
  assert.ok(r);
  assert.ok(r.currentUsageBytes > 2 * LARGE_ALLOCATION_BYTES);
  assert.ok(r.fragmentationRatio >= 0 && r.fragmentationRatio < 1);
  assert.ok(r.allocationEfficiency > 0 && r.allocationEfficiency <= 1);
  assert.equal(r.largeAllocationPercentage(), 100);
  monitor.allocator.free(buf);
});
