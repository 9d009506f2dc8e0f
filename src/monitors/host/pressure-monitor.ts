/**
 * Pressure stall information (Linux 4.20+ with PSI enabled): node_exporter's pressure series
 * (`node_pressure_cpu_waiting_seconds_total`, `node_pressure_io_stalled_seconds_total`, ...).
 * Hosts without PSI produce no series and no error: the files are optional.
 */
import type { Registry } from "../../metrics/registry.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";
import { LazyCounter } from "./lazy-metric.js";
import { parsePressure } from "./pressure.js";
import { type HostRoots, ProcFiles, resolveRoots } from "./proc-file.js";

export interface PressureMonitorOptions {
  roots?: Partial<HostRoots>;
  id?: string;
}

export class PressureMonitor implements ResourceMonitor {
  readonly #id: string;
  readonly #proc: ProcFiles;
  readonly #counters;
  #report: ResourceUsageReport = { currentBytes: 0, peakBytes: 0 };

  constructor(registry: Registry, options: PressureMonitorOptions = {}) {
    this.#id = options.id ?? "host.pressure";
    this.#proc = new ProcFiles(resolveRoots(options.roots).procfs);
    const c = (name: string, help: string) => new LazyCounter(registry, { name, help });
    this.#counters = {
      cpuWaiting: c(
        "node_pressure_cpu_waiting_seconds_total",
        "Total time in seconds that processes have waited for CPU time",
      ),
      ioWaiting: c(
        "node_pressure_io_waiting_seconds_total",
        "Total time in seconds that processes have waited due to IO congestion",
      ),
      ioStalled: c(
        "node_pressure_io_stalled_seconds_total",
        "Total time in seconds no process could make progress due to IO congestion",
      ),
      memWaiting: c(
        "node_pressure_memory_waiting_seconds_total",
        "Total time in seconds that processes have waited for memory",
      ),
      memStalled: c(
        "node_pressure_memory_stalled_seconds_total",
        "Total time in seconds no process could make progress",
      ),
    };
  }

  monitorId(): string {
    return this.#id;
  }

  resourceType() {
    return MonitoredResourceType.Cpu;
  }

  /** The 10-second "some" CPU pressure average, in percent (no capacity). */
  getUsageReport(): ResourceUsageReport {
    return this.#report;
  }

  update(): void {
    const read = (r: string) => {
      const text = this.#proc.readOptional(`pressure/${r}`);
      return text === undefined ? undefined : parsePressure(text, `/proc/pressure/${r}`);
    };
    const cpu = read("cpu");
    const io = read("io");
    const mem = read("memory");
    if (cpu) this.#counters.cpuWaiting.setTotal(cpu.some.totalSeconds);
    if (io) {
      this.#counters.ioWaiting.setTotal(io.some.totalSeconds);
      if (io.full) this.#counters.ioStalled.setTotal(io.full.totalSeconds);
    }
    if (mem) {
      this.#counters.memWaiting.setTotal(mem.some.totalSeconds);
      if (mem.full) this.#counters.memStalled.setTotal(mem.full.totalSeconds);
    }
    if (cpu)
      this.#report = {
        currentBytes: cpu.some.avg10,
        peakBytes: Math.max(this.#report.peakBytes, cpu.some.avg10),
      };
  }

  close(): void {
    this.#proc.close();
  }
}
