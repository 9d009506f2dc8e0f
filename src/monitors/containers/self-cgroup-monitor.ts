/**
 * The container-aware own view: when Headroom runs inside a cgroup with limits, both the host's
 * capacity and the effective one (the tightest CPU quota and memory limit on its cgroup and its
 * ancestors) are reported, and usage percentages are computed against the effective limits.
 * A process in a 256 MiB, half-CPU cgroup reports 256 MiB and 0.5 cores as its capacity, not
 * the host's memory and core count.
 */
import type { Registry } from "../../metrics/registry.js";
import type { ResourceLimitUsage } from "../capacity.js";
import { parseStat } from "../host/cpu-stat.js";
import { memorySummary, parseMeminfo } from "../host/meminfo.js";
import { ProcFiles } from "../host/proc-file.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";
import { readCgroupStats, readEffectiveLimits } from "./cgroup-stats.js";
import { type CgroupLocation, type CgroupTarget, cgroupTargetForPid } from "./cgroup-target.js";

export interface SelfCgroupMonitorOptions extends CgroupLocation {
  id?: string;
  /** The pid whose cgroup is watched; default this process (`self`). */
  pid?: number | "self";
}

/** Capacity and usage as this process experiences them. */
export interface EffectiveView {
  hostCpuCores: number;
  hostMemoryBytes: number;
  /** min(host cores, cgroup CPU quota). */
  cpuCores: number;
  /** min(host memory, cgroup memory limit). */
  memoryBytes: number;
  /** The cgroup's memory usage (working set), bytes. */
  memoryUsedBytes: number | undefined;
  /** CPU used by the cgroup since the last update, in percent of `cpuCores`. */
  cpuUsagePercent: number | undefined;
  limited: { cpu: boolean; memory: boolean };
}

export class SelfCgroupMonitor implements ResourceMonitor {
  readonly #id: string;
  readonly #options: SelfCgroupMonitorOptions;
  readonly #proc: ProcFiles;
  readonly #g;
  #target: CgroupTarget | undefined;
  #prevCpu: { seconds: number; atMs: number } | undefined;
  #view: EffectiveView | undefined;
  #report: ResourceUsageReport = { currentBytes: 0, peakBytes: 0 };

  constructor(registry: Registry, options: SelfCgroupMonitorOptions = {}) {
    this.#id = options.id ?? "containers.self";
    this.#options = options;
    this.#proc = new ProcFiles(options.procfs ?? "/proc");
    const g = (name: string, help: string) => registry.gauge({ name, help, labelNames: ["view"] as const });
    this.#g = {
      cpuCores: g(
        "headroom_capacity_cpu_cores",
        "CPU cores available: view=host (online cores) or view=effective (cgroup quota applied).",
      ),
      memBytes: g(
        "headroom_capacity_memory_bytes",
        "Memory available: view=host (MemTotal) or view=effective (cgroup limit applied).",
      ),
      memUsed: g(
        "headroom_self_memory_used_bytes",
        "Memory used: view=host (total - available) or view=effective (own cgroup working set).",
      ),
      memPercent: g(
        "headroom_self_memory_usage_percent",
        "Memory used in percent of the capacity of the same view.",
      ),
      cpuPercent: g(
        "headroom_self_cpu_usage_percent",
        "CPU used by the own cgroup in percent of the effective cores (view=effective).",
      ),
    };
  }

  monitorId(): string {
    return this.#id;
  }

  resourceType() {
    return MonitoredResourceType.Container;
  }

  /** The cgroup's working set against the effective memory limit. */
  getUsageReport(): ResourceUsageReport {
    return this.#report;
  }

  getEffectiveView(): EffectiveView | undefined {
    return this.#view;
  }

  /** The usage to pass to `checkResourceLimits`, measured against the effective limits. */
  effectiveUsage(): ResourceLimitUsage {
    const v = this.#view;
    if (!v) return {};
    return {
      cpuUsagePercent: v.cpuUsagePercent,
      memoryUsedBytes: v.memoryUsedBytes,
      memoryTotalBytes: v.memoryBytes,
    };
  }

  update(): void {
    const stat = parseStat(this.#proc.read("stat"));
    const mem = memorySummary(parseMeminfo(this.#proc.read("meminfo")));
    this.#target ??= cgroupTargetForPid(this.#options.pid ?? "self", {}, this.#options);
    const limits = readEffectiveLimits(this.#target.dirs);
    const s = readCgroupStats(this.#target.dirs);
    const now = performance.now();
    const hostCores = stat.cpus.length;
    const cpuCores = limits.cpuCores === undefined ? hostCores : Math.min(hostCores, limits.cpuCores);
    const memoryBytes =
      limits.memoryBytes === undefined ? mem.totalBytes : Math.min(mem.totalBytes, limits.memoryBytes);
    let cpuUsagePercent: number | undefined;
    if (s.cpuUsageSeconds !== undefined) {
      const prev = this.#prevCpu;
      this.#prevCpu = { seconds: s.cpuUsageSeconds, atMs: now };
      const dt = prev ? (now - prev.atMs) / 1000 : 0;
      if (prev && dt > 0 && s.cpuUsageSeconds >= prev.seconds && cpuCores > 0) {
        cpuUsagePercent = ((s.cpuUsageSeconds - prev.seconds) / dt / cpuCores) * 100;
      }
    }
    const used = s.memoryWorkingSetBytes ?? s.memoryUsageBytes;
    this.#g.cpuCores.set({ view: "host" }, hostCores);
    this.#g.cpuCores.set({ view: "effective" }, cpuCores);
    this.#g.memBytes.set({ view: "host" }, mem.totalBytes);
    this.#g.memBytes.set({ view: "effective" }, memoryBytes);
    this.#g.memUsed.set({ view: "host" }, mem.usedBytes);
    this.#g.memPercent.set({ view: "host" }, mem.totalBytes > 0 ? (mem.usedBytes / mem.totalBytes) * 100 : 0);
    if (used !== undefined) {
      this.#g.memUsed.set({ view: "effective" }, used);
      this.#g.memPercent.set({ view: "effective" }, memoryBytes > 0 ? (used / memoryBytes) * 100 : 0);
    }
    if (cpuUsagePercent !== undefined) this.#g.cpuPercent.set({ view: "effective" }, cpuUsagePercent);
    this.#view = {
      hostCpuCores: hostCores,
      hostMemoryBytes: mem.totalBytes,
      cpuCores,
      memoryBytes,
      memoryUsedBytes: used,
      cpuUsagePercent: cpuUsagePercent ?? this.#view?.cpuUsagePercent,
      limited: { cpu: limits.cpuCores !== undefined, memory: limits.memoryBytes !== undefined },
    };
    const current = used ?? 0;
    this.#report = {
      currentBytes: current,
      peakBytes: Math.max(this.#report.peakBytes, current),
      totalCapacityBytes: memoryBytes,
    };
  }

  close(): void {
    this.#proc.close();
  }
}

/**
 * The own-view monitor when this process can see its cgroup (a cgroup filesystem is mounted
 * and /proc/<pid>/cgroup names a readable directory), else undefined: on such hosts the
 * capacity is the host's, which the host monitors already report.
 */
export function createSelfCgroupMonitor(
  registry: Registry,
  options: SelfCgroupMonitorOptions = {},
): SelfCgroupMonitor | undefined {
  try {
    const t = cgroupTargetForPid(options.pid ?? "self", {}, options);
    if (t.dirs.v1.size === 0 && t.dirs.v2 === undefined) return undefined;
  } catch {
    return undefined;
  }
  return new SelfCgroupMonitor(registry, options);
}
