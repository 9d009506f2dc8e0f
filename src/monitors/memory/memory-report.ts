/**
 * The seed's MemoryReport: one reading of a MemoryMonitor, every field and analysis method.
 * Where each field comes from in JavaScript (see memory-monitor.ts for the reading):
 *
 * | field | source |
 * |---|---|
 * | currentUsageBytes | V8 `used_heap_size` + the tracked allocator's live bytes |
 * | peakUsageBytes | highest currentUsageBytes seen by the monitor (and the allocator's own peak between samples) since start or `resetPeakUsage()` |
 * | allocationDeltaBytes | growth of currentUsageBytes since the previous sample, 0 when it shrank (the seed's saturating sub) |
 * | sampleCount | number of `updateMemoryStats()` calls |
 * | totalAllocations ... smallAllocationBytes | the tracked allocator, exact |
 * | fragmentationRatio | V8: `1 - used_heap_size / total_heap_size`, the committed heap not holding live objects |
 * | allocationEfficiency | live bytes / committed bytes over V8's heap and the tracked buffers together: `(used_heap + tracked) / (total_heap + tracked)` |
 * | averageAllocationSize | the tracked allocator: `bytesAllocatedLifetime / totalAllocations` (0 before the first allocation) |
 */

const MB = 1024 * 1024;

/**
 * `fragmentationStatus()` thresholds on `fragmentationRatio`: below 0.2 "Low" (a V8 heap between
 * collections usually sits here), below 0.4 "Moderate", below 0.6 "High", otherwise "Critical"
 * (more than 60 % of the committed heap is empty space).
 */
export const FRAGMENTATION_THRESHOLDS = Object.freeze({ moderate: 0.2, high: 0.4, critical: 0.6 });

export type FragmentationStatus = "Low" | "Moderate" | "High" | "Critical";

/** The seed's MemoryReport fields; the table at the top of this file gives each one's source. */
export interface MemoryReportFields {
  /** V8 heap used plus live tracked buffers, bytes. */
  readonly currentUsageBytes: number;
  /** Highest currentUsageBytes since start or `resetPeakUsage()`. */
  readonly peakUsageBytes: number;
  /** Growth since the previous sample, 0 when usage shrank. */
  readonly allocationDeltaBytes: number;
  /** `updateMemoryStats()` calls so far. */
  readonly sampleCount: number;
  /** Tracked allocator operations since it was created. */
  readonly totalAllocations: number;
  readonly totalDeallocations: number;
  readonly totalReallocations: number;
  /** Bytes handed out (allocations and reallocation growth) and given back (frees and shrinkage). */
  readonly bytesAllocatedLifetime: number;
  readonly bytesDeallocatedLifetime: number;
  /** Allocations of at least 1 MB, and their bytes. */
  readonly largeAllocations: number;
  readonly largeAllocationBytes: number;
  /** Allocations below 1 MB, and their bytes. */
  readonly smallAllocations: number;
  readonly smallAllocationBytes: number;
  /** 0..1: the share of committed memory not holding live data. */
  readonly fragmentationRatio: number;
  /** 0..1: the share of committed memory holding live data. */
  readonly allocationEfficiency: number;
  /** Bytes per allocation. */
  readonly averageAllocationSize: number;
}

/** An immutable reading with the seed's analysis methods. */
export class MemoryReport implements MemoryReportFields {
  readonly currentUsageBytes: number;
  readonly peakUsageBytes: number;
  readonly allocationDeltaBytes: number;
  readonly sampleCount: number;
  readonly totalAllocations: number;
  readonly totalDeallocations: number;
  readonly totalReallocations: number;
  readonly bytesAllocatedLifetime: number;
  readonly bytesDeallocatedLifetime: number;
  readonly largeAllocations: number;
  readonly largeAllocationBytes: number;
  readonly smallAllocations: number;
  readonly smallAllocationBytes: number;
  readonly fragmentationRatio: number;
  readonly allocationEfficiency: number;
  readonly averageAllocationSize: number;

  constructor(f: MemoryReportFields) {
    this.currentUsageBytes = f.currentUsageBytes;
    this.peakUsageBytes = f.peakUsageBytes;
    this.allocationDeltaBytes = f.allocationDeltaBytes;
    this.sampleCount = f.sampleCount;
    this.totalAllocations = f.totalAllocations;
    this.totalDeallocations = f.totalDeallocations;
    this.totalReallocations = f.totalReallocations;
    this.bytesAllocatedLifetime = f.bytesAllocatedLifetime;
    this.bytesDeallocatedLifetime = f.bytesDeallocatedLifetime;
    this.largeAllocations = f.largeAllocations;
    this.largeAllocationBytes = f.largeAllocationBytes;
    this.smallAllocations = f.smallAllocations;
    this.smallAllocationBytes = f.smallAllocationBytes;
    this.fragmentationRatio = f.fragmentationRatio;
    this.allocationEfficiency = f.allocationEfficiency;
    this.averageAllocationSize = f.averageAllocationSize;
    Object.freeze(this);
  }

  currentUsageMb(): number {
    return this.currentUsageBytes / MB;
  }

  peakUsageMb(): number {
    return this.peakUsageBytes / MB;
  }

  allocationDeltaKb(): number {
    return this.allocationDeltaBytes / 1024;
  }

  /** Allocator operations (allocations, deallocations, reallocations) per sample; 0 before the first sample. */
  memoryTurnoverRate(): number {
    if (this.sampleCount === 0) return 0;
    return (this.totalAllocations + this.totalDeallocations + this.totalReallocations) / this.sampleCount;
  }

  /** Percentage (0-100) of allocations that were large (>= 1 MB), by count; 0 with no allocations. */
  largeAllocationPercentage(): number {
    const n = this.largeAllocations + this.smallAllocations;
    return n === 0 ? 0 : (this.largeAllocations / n) * 100;
  }

  /** `allocationEfficiency` as a percentage (0-100). */
  memoryUtilizationEfficiency(): number {
    return this.allocationEfficiency * 100;
  }

  averageAllocationSizeMb(): number {
    return this.averageAllocationSize / MB;
  }

  /** "Low" / "Moderate" / "High" / "Critical" by FRAGMENTATION_THRESHOLDS. */
  fragmentationStatus(): FragmentationStatus {
    const r = this.fragmentationRatio;
    if (r < FRAGMENTATION_THRESHOLDS.moderate) return "Low";
    if (r < FRAGMENTATION_THRESHOLDS.high) return "Moderate";
    if (r < FRAGMENTATION_THRESHOLDS.critical) return "High";
    return "Critical";
  }
}
