/**
 * Block devices: node_exporter's diskstats series (`node_disk_read_bytes_total{device}`, ...)
 * from /proc/diskstats, partitions, loop and ram devices excluded by default, plus per-device
 * throughput and IOPS as `headroom_disk_*_per_second`.
 */
import type { Registry } from "../../metrics/registry.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";
import { DEFAULT_DISK_EXCLUDE, type DiskStats, parseDiskstats } from "./diskstats.js";
import { type HostRoots, ProcFiles, resolveRoots } from "./proc-file.js";
import { RateTracker } from "./rate-tracker.js";

export interface DiskMonitorOptions {
  roots?: Partial<HostRoots>;
  id?: string;
  /** Devices to skip; default node_exporter's (partitions, loop, ram, fd). */
  deviceExclude?: RegExp;
  /** When set, only devices matching it are kept (applied before `deviceExclude`). */
  deviceInclude?: RegExp;
}

type CounterField = Exclude<keyof DiskStats, "device" | "ioNow">;

const COUNTERS: [CounterField, string, string][] = [
  ["readsCompleted", "node_disk_reads_completed_total", "The total number of reads completed successfully."],
  ["readsMerged", "node_disk_reads_merged_total", "The total number of reads merged."],
  ["readBytes", "node_disk_read_bytes_total", "The total number of bytes read successfully."],
  ["readTimeSeconds", "node_disk_read_time_seconds_total", "The total number of seconds spent by all reads."],
  [
    "writesCompleted",
    "node_disk_writes_completed_total",
    "The total number of writes completed successfully.",
  ],
  ["writesMerged", "node_disk_writes_merged_total", "The number of writes merged."],
  ["writtenBytes", "node_disk_written_bytes_total", "The total number of bytes written successfully."],
  [
    "writeTimeSeconds",
    "node_disk_write_time_seconds_total",
    "This is the total number of seconds spent by all writes.",
  ],
  ["ioTimeSeconds", "node_disk_io_time_seconds_total", "Total seconds spent doing I/Os."],
  [
    "ioTimeWeightedSeconds",
    "node_disk_io_time_weighted_seconds_total",
    "The weighted # of seconds spent doing I/Os.",
  ],
  [
    "discardsCompleted",
    "node_disk_discards_completed_total",
    "The total number of discards completed successfully.",
  ],
  ["discardsMerged", "node_disk_discards_merged_total", "The total number of discards merged."],
  [
    "discardedSectors",
    "node_disk_discarded_sectors_total",
    "The total number of sectors discarded successfully.",
  ],
  [
    "discardTimeSeconds",
    "node_disk_discard_time_seconds_total",
    "This is the total number of seconds spent by all discards.",
  ],
  [
    "flushRequests",
    "node_disk_flush_requests_total",
    "The total number of flush requests completed successfully",
  ],
  [
    "flushTimeSeconds",
    "node_disk_flush_requests_time_seconds_total",
    "This is the total number of seconds spent by all flush requests.",
  ],
];

const RATES: [CounterField, string, string][] = [
  ["readBytes", "headroom_disk_read_bytes_per_second", "Bytes read per second since the last sample."],
  [
    "writtenBytes",
    "headroom_disk_written_bytes_per_second",
    "Bytes written per second since the last sample.",
  ],
  ["readsCompleted", "headroom_disk_reads_per_second", "Reads completed per second since the last sample."],
  [
    "writesCompleted",
    "headroom_disk_writes_per_second",
    "Writes completed per second since the last sample.",
  ],
];

export class DiskMonitor implements ResourceMonitor {
  readonly #id: string;
  readonly #proc: ProcFiles;
  readonly #exclude: RegExp;
  readonly #include: RegExp | undefined;
  readonly #counters;
  readonly #ioNow;
  readonly #rates;
  readonly #tracker = new RateTracker();
  #devices = new Set<string>();
  #report: ResourceUsageReport = { currentBytes: 0, peakBytes: 0 };

  constructor(registry: Registry, options: DiskMonitorOptions = {}) {
    this.#id = options.id ?? "host.disk";
    this.#proc = new ProcFiles(resolveRoots(options.roots).procfs);
    this.#exclude = options.deviceExclude ?? DEFAULT_DISK_EXCLUDE;
    this.#include = options.deviceInclude;
    this.#counters = COUNTERS.map(
      ([field, name, help]) => [field, registry.counter({ name, help, labelNames: ["device"] })] as const,
    );
    this.#ioNow = registry.gauge({
      name: "node_disk_io_now",
      help: "The number of I/Os currently in progress.",
      labelNames: ["device"],
    });
    this.#rates = RATES.map(
      ([field, name, help]) => [field, registry.gauge({ name, help, labelNames: ["device"] })] as const,
    );
  }

  monitorId(): string {
    return this.#id;
  }

  resourceType() {
    return MonitoredResourceType.Disk;
  }

  /** Bytes read and written per second across the kept devices (no capacity: it is a rate). */
  getUsageReport(): ResourceUsageReport {
    return this.#report;
  }

  update(): void {
    const all = parseDiskstats(this.#proc.read("diskstats"));
    const now = performance.now();
    const present = new Set<string>();
    let throughput = 0;
    let known = false;
    for (const d of all) {
      if (this.#include && !this.#include.test(d.device)) continue;
      if (this.#exclude.test(d.device)) continue;
      present.add(d.device);
      const labels = { device: d.device };
      for (const [field, counter] of this.#counters) {
        const v = d[field];
        if (v !== undefined) counter.setTotal(labels, v);
      }
      this.#ioNow.set(labels, d.ioNow);
      for (const [field, gauge] of this.#rates) {
        const r = this.#tracker.rate(`${d.device}\0${field}`, d[field] ?? 0, now);
        if (r === undefined) continue;
        gauge.set(labels, r);
        if (field === "readBytes" || field === "writtenBytes") {
          throughput += r;
          known = true;
        }
      }
    }
    for (const gone of this.#devices) {
      if (present.has(gone)) continue;
      for (const [, c] of this.#counters) c.remove({ device: gone });
      for (const [, g] of this.#rates) g.remove({ device: gone });
      this.#ioNow.remove({ device: gone });
    }
    this.#tracker.retain(present);
    this.#devices = present;
    if (known)
      this.#report = { currentBytes: throughput, peakBytes: Math.max(this.#report.peakBytes, throughput) };
  }

  close(): void {
    this.#proc.close();
  }
}
