/**
 * Memory: every /proc/meminfo field as node_exporter exports it (`node_memory_MemTotal_bytes`,
 * `node_memory_HugePages_Total`, ...), plus the seed's derived numbers as `headroom_*` series:
 * used = total - available, usage percent, swap used.
 */
import type { Gauge } from "../../metrics/gauge.js";
import type { Registry } from "../../metrics/registry.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";
import { LazyGauge } from "./lazy-metric.js";
import { type MemorySummary, memorySummary, parseMeminfo } from "./meminfo.js";
import { type HostRoots, ProcFiles, resolveRoots } from "./proc-file.js";

export interface MemoryMonitorOptions {
  roots?: Partial<HostRoots>;
  /** Monitor id; default `host.memory`. */
  id?: string;
}

export class HostMemoryMonitor implements ResourceMonitor {
  readonly #id: string;
  readonly #registry: Registry;
  readonly #proc: ProcFiles;
  readonly #fields = new Map<string, Gauge>();
  readonly #used: LazyGauge;
  readonly #percent: LazyGauge;
  readonly #swapUsed: LazyGauge;
  #summary: MemorySummary | undefined;
  #report: ResourceUsageReport = { currentBytes: 0, peakBytes: 0 };

  constructor(registry: Registry, options: MemoryMonitorOptions = {}) {
    this.#id = options.id ?? "host.memory";
    this.#registry = registry;
    this.#proc = new ProcFiles(resolveRoots(options.roots).procfs);
    this.#used = new LazyGauge(registry, {
      name: "headroom_memory_used_bytes",
      help: "Memory in use: MemTotal - MemAvailable.",
    });
    this.#percent = new LazyGauge(registry, {
      name: "headroom_memory_usage_percent",
      help: "Memory in use as a percentage of MemTotal.",
    });
    this.#swapUsed = new LazyGauge(registry, {
      name: "headroom_swap_used_bytes",
      help: "Swap in use: SwapTotal - SwapFree.",
    });
  }

  monitorId(): string {
    return this.#id;
  }

  resourceType() {
    return MonitoredResourceType.Memory;
  }

  getUsageReport(): ResourceUsageReport {
    return this.#report;
  }

  /** The seed's MemoryMetrics numbers from the last successful update. */
  getMemorySummary(): MemorySummary | undefined {
    return this.#summary;
  }

  update(): void {
    const fields = parseMeminfo(this.#proc.read("meminfo"));
    const s = memorySummary(fields);
    for (const f of fields) {
      let g = this.#fields.get(f.key);
      if (!g) {
        const name = f.bytes ? `node_memory_${f.key}_bytes` : `node_memory_${f.key}`;
        g = this.#registry.gauge({
          name,
          help: `Memory information field ${f.key}${f.bytes ? "_bytes" : ""}.`,
        });
        this.#fields.set(f.key, g);
      }
      g.set(f.value);
    }
    this.#used.set(s.usedBytes);
    this.#percent.set(s.totalBytes > 0 ? (s.usedBytes / s.totalBytes) * 100 : 0);
    this.#swapUsed.set(s.swapUsedBytes);
    this.#summary = s;
    this.#report = {
      currentBytes: s.usedBytes,
      peakBytes: Math.max(this.#report.peakBytes, s.usedBytes),
      totalCapacityBytes: s.totalBytes,
    };
  }

  close(): void {
    this.#proc.close();
  }
}
