/**
 * The ResourceMonitor contract (seed 000). A monitor reads one kind of resource and writes
 * its readings into the metrics registry it was given at construction; the registry is the
 * only place the numbers live, `getUsageReport()` is a summary for capacity checks.
 *
 * Who calls what: the scheduler (`scheduler.ts`) calls `update()` at the configured interval;
 * the monitors of one tick run concurrently, but never two updates of the same monitor at once
 * (a monitor still busy from the last tick is skipped and reported). `update()` may be async
 * (I/O); it throws (or rejects) to report a failed reading, and the scheduler records that
 * failure without stopping the other monitors. `getUsageReport()` is cheap and synchronous: it
 * returns what the last successful `update()` saw.
 */
export const MonitoredResourceType = {
  Memory: "memory",
  Cpu: "cpu",
  Disk: "disk",
  Network: "network",
  System: "system",
  Container: "container",
  Gpu: "gpu",
  Vram: "vram",
  Runtime: "runtime",
  Custom: "custom",
} as const;

export type MonitoredResourceType = (typeof MonitoredResourceType)[keyof typeof MonitoredResourceType];

/** The seed's ResourceUsageReport: a resource's level now, its peak, and its capacity when known. */
export interface ResourceUsageReport {
  /** Current usage in the monitor's unit (bytes for memory, disk and VRAM; a ratio or count otherwise). */
  readonly currentBytes: number;
  /** Highest `currentBytes` seen since the monitor started or its peak was reset. */
  readonly peakBytes: number;
  /** Total capacity in the same unit, when the resource has one (undefined for rates). */
  readonly totalCapacityBytes?: number;
}

export interface ResourceMonitor {
  /** Unique, stable id of this monitor instance (`host.cpu`, `SystemRAM`). */
  monitorId(): string;
  /** What the monitor reads; fixed for the monitor's life. Capacity checks group by it. */
  resourceType(): MonitoredResourceType;
  /**
   * The last successful reading, summarised (seed 000's ResourceUsageReport). Called by capacity
   * checks and the API at any time; cheap, synchronous, never throws. Before the first
   * successful `update()` it is zero (with a capacity only if one is known without a reading).
   */
  getUsageReport(): ResourceUsageReport;
  /** Takes one reading and writes it to the registry. Throws or rejects when the reading failed. */
  update(): void | Promise<void>;
  /** Releases descriptors, timers or child processes. Optional; called once when unregistered or on shutdown. */
  close?(): void | Promise<void>;
}

/** A report with nothing known yet. */
export const emptyUsageReport: ResourceUsageReport = Object.freeze({ currentBytes: 0, peakBytes: 0 });
