/**
 * Per-cgroup (per-container) usage with cAdvisor's series names and `id`/`name`/`image` labels:
 * `container_cpu_usage_seconds_total`, `container_cpu_cfs_throttled_periods_total`,
 * `container_memory_working_set_bytes`, `container_spec_memory_limit_bytes`,
 * `container_fs_reads_bytes_total{device}`, `container_pressure_*`, ..., plus
 * `headroom_container_*_usage_percent` against each container's own limits. A container whose
 * cgroup files cannot be read is skipped for that update (and reported by `lastErrors()`);
 * its series are dropped rather than left stale.
 */

import { errorMessage } from "../../errors.js";
import type { Counter } from "../../metrics/counter.js";
import type { Gauge } from "../../metrics/gauge.js";
import type { Registry } from "../../metrics/registry.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";
import { type CgroupStats, readCgroupStats } from "./cgroup-stats.js";
import type { CgroupTarget } from "./cgroup-target.js";

type L = "id" | "name" | "image";
type LD = L | "device";

export interface CgroupMonitorOptions {
  id?: string;
  /** The cgroups to read on each update (a fixed list, or re-discovered each time). */
  targets: () => CgroupTarget[] | Promise<CgroupTarget[]>;
}

const COUNTERS: [keyof CgroupStats, string, string][] = [
  ["cpuUsageSeconds", "container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds."],
  ["cpuUserSeconds", "container_cpu_user_seconds_total", "Cumulative user cpu time consumed in seconds."],
  [
    "cpuSystemSeconds",
    "container_cpu_system_seconds_total",
    "Cumulative system cpu time consumed in seconds.",
  ],
  ["cpuPeriods", "container_cpu_cfs_periods_total", "Number of elapsed enforcement period intervals."],
  [
    "cpuThrottledPeriods",
    "container_cpu_cfs_throttled_periods_total",
    "Number of throttled period intervals.",
  ],
  [
    "cpuThrottledSeconds",
    "container_cpu_cfs_throttled_seconds_total",
    "Total time duration the container has been throttled.",
  ],
  ["memoryFailcnt", "container_memory_failcnt", "Number of memory usage hits limits"],
];

const GAUGES: [keyof CgroupStats, string, string][] = [
  [
    "memoryUsageBytes",
    "container_memory_usage_bytes",
    "Current memory usage in bytes, including all memory regardless of when it was accessed",
  ],
  ["memoryWorkingSetBytes", "container_memory_working_set_bytes", "Current working set in bytes."],
  ["memoryRssBytes", "container_memory_rss", "Size of RSS in bytes."],
  ["memoryCacheBytes", "container_memory_cache", "Number of bytes of page cache memory."],
  ["memorySwapBytes", "container_memory_swap", "Container swap usage in bytes."],
  ["memoryLimitBytes", "container_spec_memory_limit_bytes", "Memory limit for the container."],
  ["cpuQuotaUs", "container_spec_cpu_quota", "CPU quota of the container."],
  ["cpuPeriodUs", "container_spec_cpu_period", "CPU period of the container."],
  ["pidsCurrent", "container_processes", "Number of processes running inside the container."],
  ["pidsLimit", "headroom_container_pids_limit", "Most processes the container may run (pids.max)."],
];

const PRESSURE: ["cpu" | "memory" | "io", "some" | "full", string][] = [
  ["cpu", "some", "container_pressure_cpu_waiting_seconds_total"],
  ["cpu", "full", "container_pressure_cpu_stalled_seconds_total"],
  ["memory", "some", "container_pressure_memory_waiting_seconds_total"],
  ["memory", "full", "container_pressure_memory_stalled_seconds_total"],
  ["io", "some", "container_pressure_io_waiting_seconds_total"],
  ["io", "full", "container_pressure_io_stalled_seconds_total"],
];

export class CgroupMonitor implements ResourceMonitor {
  readonly #id: string;
  readonly #targets: CgroupMonitorOptions["targets"];
  readonly #counters: [keyof CgroupStats, Counter<L>][];
  readonly #gauges: [keyof CgroupStats, Gauge<L>][];
  readonly #pressure: [(typeof PRESSURE)[number], Counter<L>][];
  readonly #io: Record<"readBytes" | "writeBytes" | "reads" | "writes", Counter<LD>>;
  readonly #cpuPercent: Gauge<L>;
  readonly #memPercent: Gauge<L>;
  readonly #prevCpu = new Map<string, { seconds: number; atMs: number }>();
  #seen = new Map<string, { id: string; name: string; image: string; devices: string[] }>();
  #errors: { id: string; error: string }[] = [];
  #stats = new Map<string, CgroupStats>();
  #report: ResourceUsageReport = { currentBytes: 0, peakBytes: 0 };

  constructor(registry: Registry, options: CgroupMonitorOptions) {
    this.#id = options.id ?? "containers.cgroups";
    this.#targets = options.targets;
    const labelNames = ["id", "name", "image"] as const;
    this.#counters = COUNTERS.map(([k, name, help]) => [k, registry.counter({ name, help, labelNames })]);
    this.#gauges = GAUGES.map(([k, name, help]) => [k, registry.gauge({ name, help, labelNames })]);
    this.#pressure = PRESSURE.map((p) => [
      p,
      registry.counter({
        name: p[2],
        help: `Total time in seconds of ${p[0]} pressure (${p[1]}).`,
        labelNames,
      }),
    ]);
    const io = (name: string, help: string) =>
      registry.counter({ name, help, labelNames: ["id", "name", "image", "device"] as const });
    this.#io = {
      readBytes: io("container_fs_reads_bytes_total", "Cumulative count of bytes read"),
      writeBytes: io("container_fs_writes_bytes_total", "Cumulative count of bytes written"),
      reads: io("container_fs_reads_total", "Cumulative count of reads completed"),
      writes: io("container_fs_writes_total", "Cumulative count of writes completed"),
    };
    this.#cpuPercent = registry.gauge({
      name: "headroom_container_cpu_usage_percent",
      help: "CPU used since the last sample, in percent of the container's CPU quota (of one core when it has none).",
      labelNames,
    });
    this.#memPercent = registry.gauge({
      name: "headroom_container_memory_usage_percent",
      help: "Working set in percent of the container's memory limit (absent when unlimited).",
      labelNames,
    });
  }

  monitorId(): string {
    return this.#id;
  }

  resourceType() {
    return MonitoredResourceType.Container;
  }

  /** Working set summed over the containers (no capacity: each has its own). */
  getUsageReport(): ResourceUsageReport {
    return this.#report;
  }

  /** Containers whose cgroup could not be read on the last update, with why. */
  lastErrors(): readonly { id: string; error: string }[] {
    return this.#errors;
  }

  /** The last stats read per cgroup id. */
  lastStats(): ReadonlyMap<string, CgroupStats> {
    return this.#stats;
  }

  async update(): Promise<void> {
    const targets = await this.#targets();
    const now = performance.now();
    const next = new Map<string, { id: string; name: string; image: string; devices: string[] }>();
    const errors: { id: string; error: string }[] = [];
    const stats = new Map<string, CgroupStats>();
    let workingSet = 0;
    for (const t of targets) {
      let s: CgroupStats;
      try {
        s = readCgroupStats(t.dirs);
      } catch (err) {
        errors.push({ id: t.id, error: errorMessage(err) });
        continue;
      }
      const labels = { id: t.id, name: t.name, image: t.image };
      for (const [k, c] of this.#counters) {
        const v = s[k];
        if (typeof v === "number") c.setTotal(labels, v);
      }
      for (const [k, g] of this.#gauges) {
        const v = s[k];
        if (typeof v === "number") g.set(labels, v);
        else g.remove(labels);
      }
      for (const [[r, kind], c] of this.#pressure) {
        const v = s.pressure[r]?.[kind]?.totalSeconds;
        if (v !== undefined) c.setTotal(labels, v);
      }
      for (const d of s.io) {
        const dl = { ...labels, device: d.device };
        this.#io.readBytes.setTotal(dl, d.readBytes);
        this.#io.writeBytes.setTotal(dl, d.writeBytes);
        this.#io.reads.setTotal(dl, d.reads);
        this.#io.writes.setTotal(dl, d.writes);
      }
      if (s.cpuUsageSeconds !== undefined) {
        const prev = this.#prevCpu.get(t.id);
        this.#prevCpu.set(t.id, { seconds: s.cpuUsageSeconds, atMs: now });
        const dt = prev ? (now - prev.atMs) / 1000 : 0;
        if (prev && dt > 0 && s.cpuUsageSeconds >= prev.seconds) {
          const cores = s.cpuQuotaUs !== undefined && s.cpuPeriodUs ? s.cpuQuotaUs / s.cpuPeriodUs : 1;
          this.#cpuPercent.set(labels, ((s.cpuUsageSeconds - prev.seconds) / dt / cores) * 100);
        }
      }
      if (s.memoryLimitBytes && s.memoryWorkingSetBytes !== undefined) {
        this.#memPercent.set(labels, (s.memoryWorkingSetBytes / s.memoryLimitBytes) * 100);
      } else this.#memPercent.remove(labels);
      workingSet += s.memoryWorkingSetBytes ?? 0;
      next.set(t.id, { ...labels, devices: s.io.map((d) => d.device) });
      stats.set(t.id, s);
    }
    for (const [id, old] of this.#seen) {
      if (next.has(id)) continue;
      this.#drop(old);
    }
    this.#seen = next;
    this.#errors = errors;
    this.#stats = stats;
    this.#report = { currentBytes: workingSet, peakBytes: Math.max(this.#report.peakBytes, workingSet) };
    if (targets.length > 0 && errors.length === targets.length) {
      throw new Error(`[containers:cgroup] no cgroup could be read: ${errors[0].error}`);
    }
  }

  #drop(old: { id: string; name: string; image: string; devices: string[] }): void {
    const labels = { id: old.id, name: old.name, image: old.image };
    for (const [, c] of this.#counters) c.remove(labels);
    for (const [, g] of this.#gauges) g.remove(labels);
    for (const [, c] of this.#pressure) c.remove(labels);
    this.#cpuPercent.remove(labels);
    this.#memPercent.remove(labels);
    for (const device of old.devices)
      for (const c of Object.values(this.#io)) c.remove({ ...labels, device });
    this.#prevCpu.delete(old.id);
  }
}
