/**
 * The seed's MemoryMonitor (`getMemoryReport`, `updateMemoryStats`, `resetPeakUsage`) over the
 * two sources JavaScript has: the tracked buffer allocator (exact counts of the buffers that go
 * through it) and the engine's heap statistics (used versus committed heap). memory-report.ts
 * says which field comes from which. No `node:` import: the heap reading is injected
 * (`createMemoryMonitor()` in node-memory-monitor.ts passes V8's).
 */
import { ErrorCode, HeadroomError } from "../../errors.js";
import type { Counter } from "../../metrics/counter.js";
import type { Gauge } from "../../metrics/gauge.js";
import type { Registry } from "../../metrics/registry.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";
import { MemoryReport } from "./memory-report.js";
import type { TrackedAllocator } from "./tracked-allocator.js";

/** The engine heap at one instant (V8: `used_heap_size`, `total_heap_size`). */
export interface HeapReading {
  readonly usedHeapSize: number;
  readonly totalHeapSize: number;
}

export interface MemoryMonitorOptions {
  /** Monitor id (default "SystemRAM", the seed's). */
  id?: string;
  /** The allocator whose buffers are counted; share it with the pools that allocate through it. */
  allocator: TrackedAllocator;
  /** Reads the engine heap; called once per update. */
  heap: () => HeapReading;
}

export class MemoryResourceMonitor implements ResourceMonitor {
  readonly #id: string;
  readonly #allocator: TrackedAllocator;
  readonly #heap: () => HeapReading;
  readonly #m: ReturnType<typeof createMetrics>;
  #report: MemoryReport | undefined;
  #peak = 0;
  #lastCurrent = 0;
  #samples = 0;

  constructor(registry: Registry, options: MemoryMonitorOptions) {
    this.#id = options.id ?? "SystemRAM";
    this.#allocator = options.allocator;
    this.#heap = options.heap;
    this.#m = createMetrics(registry);
  }

  monitorId(): string {
    return this.#id;
  }

  resourceType(): MonitoredResourceType {
    return MonitoredResourceType.Memory;
  }

  /** The allocator this monitor counts (to hand to pools). */
  get allocator(): TrackedAllocator {
    return this.#allocator;
  }

  getUsageReport(): ResourceUsageReport {
    const r = this.#report;
    return r === undefined
      ? { currentBytes: 0, peakBytes: 0 }
      : { currentBytes: r.currentUsageBytes, peakBytes: r.peakUsageBytes };
  }

  /** The last report, or undefined before the first `updateMemoryStats()`. */
  getMemoryReport(): MemoryReport | undefined {
    return this.#report;
  }

  update(): void {
    this.updateMemoryStats();
  }

  /**
   * Takes one reading and writes it to the registry. Throws HR_INVALID_VALUE when the heap
   * reading is not usable (the previous report stays; the sample is not counted).
   */
  updateMemoryStats(): void {
    const heap = this.#heap();
    const used = heap?.usedHeapSize;
    const total = heap?.totalHeapSize;
    if (!(Number.isFinite(used) && Number.isFinite(total) && used >= 0 && total >= 0)) {
      throw new HeadroomError(ErrorCode.InvalidValue, `[memory] ${this.#id}: heap reading is not usable`, {
        data: { usedHeapSize: used, totalHeapSize: total },
      });
    }
    const a = this.#allocator.stats();
    const current = used + a.currentBytes;
    if (current > this.#peak) this.#peak = current;
    const delta = Math.max(0, current - this.#lastCurrent);
    this.#lastCurrent = current;
    this.#samples++;
    // A heap that reports less committed than used (never seen from V8) must not go negative.
    const fragmentation = total > 0 ? Math.min(1, Math.max(0, 1 - used / total)) : 0;
    const committed = Math.max(total, used) + a.currentBytes;
    const report = new MemoryReport({
      currentUsageBytes: current,
      peakUsageBytes: this.#peak,
      allocationDeltaBytes: delta,
      sampleCount: this.#samples,
      totalAllocations: a.totalAllocations,
      totalDeallocations: a.totalDeallocations,
      totalReallocations: a.totalReallocations,
      bytesAllocatedLifetime: a.bytesAllocatedLifetime,
      bytesDeallocatedLifetime: a.bytesDeallocatedLifetime,
      largeAllocations: a.largeAllocations,
      largeAllocationBytes: a.largeAllocationBytes,
      smallAllocations: a.smallAllocations,
      smallAllocationBytes: a.smallAllocationBytes,
      fragmentationRatio: fragmentation,
      allocationEfficiency: committed > 0 ? (used + a.currentBytes) / committed : 1,
      averageAllocationSize: a.totalAllocations > 0 ? a.bytesAllocatedLifetime / a.totalAllocations : 0,
    });
    this.#report = report;
    const m = this.#m;
    m.current.set(current);
    m.peak.set(report.peakUsageBytes);
    m.tracked.set(a.currentBytes);
    m.trackedPeak.set(a.peakBytes);
    m.live.set(a.liveAllocations);
    m.allocations.labels({ size: "large" }).setTotal(a.largeAllocations);
    m.allocations.labels({ size: "small" }).setTotal(a.smallAllocations);
    m.deallocations.setTotal(a.totalDeallocations);
    m.reallocations.setTotal(a.totalReallocations);
    m.allocatedBytes.setTotal(a.bytesAllocatedLifetime);
    m.deallocatedBytes.setTotal(a.bytesDeallocatedLifetime);
    m.invalidFrees.setTotal(a.invalidFrees);
    m.fragmentation.set(report.fragmentationRatio);
    m.efficiency.set(report.allocationEfficiency);
  }

  /**
   * Drops the peak to the current level, here and in the allocator. Safe between any two
   * calls: the next update raises the peak again from the current level.
   */
  resetPeakUsage(): void {
    this.#peak = this.#lastCurrent;
    this.#allocator.resetPeak();
  }
}

function createMetrics(r: Registry) {
  const g = (name: string, help: string): Gauge => r.gauge({ name, help });
  const c = (name: string, help: string): Counter => r.counter({ name, help });
  return {
    current: g("headroom_memory_current_bytes", "V8 heap used plus live tracked buffers."),
    peak: g(
      "headroom_memory_peak_bytes",
      "Highest headroom_memory_current_bytes since start or the last peak reset.",
    ),
    tracked: g("headroom_memory_tracked_bytes", "Bytes in live buffers of the tracked allocator."),
    trackedPeak: g("headroom_memory_tracked_peak_bytes", "Highest tracked bytes, between samples included."),
    live: g("headroom_memory_live_allocations", "Tracked buffers allocated and not freed."),
    allocations: r.counter({
      name: "headroom_memory_allocations_total",
      help: "Tracked allocations, by size class (large: 1 MB and more).",
      labelNames: ["size"],
    }),
    deallocations: c("headroom_memory_deallocations_total", "Tracked buffers freed."),
    reallocations: c("headroom_memory_reallocations_total", "Tracked buffers resized."),
    allocatedBytes: c("headroom_memory_allocated_bytes_total", "Bytes handed out by the tracked allocator."),
    deallocatedBytes: c(
      "headroom_memory_deallocated_bytes_total",
      "Bytes given back to the tracked allocator.",
    ),
    invalidFrees: c(
      "headroom_memory_invalid_frees_total",
      "Frees of buffers the tracked allocator does not own.",
    ),
    fragmentation: g(
      "headroom_memory_fragmentation_ratio",
      "Share of the committed V8 heap not holding live objects.",
    ),
    efficiency: g("headroom_memory_allocation_efficiency", "Share of committed memory holding live data."),
  };
}
