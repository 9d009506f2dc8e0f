import assert from "node:assert/strict";
import { test } from "node:test";
import { FRAGMENTATION_THRESHOLDS, MemoryReport, type MemoryReportFields } from "./memory-report.js";

const MB = 1024 * 1024;
const base: MemoryReportFields = {
  currentUsageBytes: 3 * MB,
  peakUsageBytes: 5 * MB,
  allocationDeltaBytes: 2048,
  sampleCount: 4,
  totalAllocations: 10,
  totalDeallocations: 6,
  totalReallocations: 4,
  bytesAllocatedLifetime: 20 * MB,
  bytesDeallocatedLifetime: 17 * MB,
  largeAllocations: 3,
  largeAllocationBytes: 18 * MB,
  smallAllocations: 7,
  smallAllocationBytes: 2 * MB,
  fragmentationRatio: 0.25,
  allocationEfficiency: 0.8,
  averageAllocationSize: 2 * MB,
};

test("analysis methods", () => {
  const r = new MemoryReport(base);
  assert.equal(r.currentUsageMb(), 3);
  assert.equal(r.peakUsageMb(), 5);
  assert.equal(r.allocationDeltaKb(), 2);
  assert.equal(r.memoryTurnoverRate(), 5, "(10 + 6 + 4) operations over 4 samples");
  assert.equal(r.largeAllocationPercentage(), 30);
  assert.equal(r.memoryUtilizationEfficiency(), 80);
  assert.equal(r.averageAllocationSizeMb(), 2);
  assert.equal(r.fragmentationStatus(), "Moderate");
  assert.ok(Object.isFrozen(r));
});

test("empty reports divide by nothing", () => {
  const r = new MemoryReport({
    ...base,
    sampleCount: 0,
    totalAllocations: 0,
    largeAllocations: 0,
    smallAllocations: 0,
  });
  assert.equal(r.memoryTurnoverRate(), 0);
  assert.equal(r.largeAllocationPercentage(), 0);
});

test("fragmentation status at and around each documented threshold", () => {
  const status = (f: number) => new MemoryReport({ ...base, fragmentationRatio: f }).fragmentationStatus();
  assert.equal(status(0), "Low");
  assert.equal(status(FRAGMENTATION_THRESHOLDS.moderate - 1e-9), "Low");
  assert.equal(status(FRAGMENTATION_THRESHOLDS.moderate), "Moderate");
  assert.equal(status(FRAGMENTATION_THRESHOLDS.high), "High");
  assert.equal(status(FRAGMENTATION_THRESHOLDS.critical - 1e-9), "High");
  assert.equal(status(FRAGMENTATION_THRESHOLDS.critical), "Critical");
  assert.equal(status(1), "Critical");
});
