/**
 * The monitor that writes an NVIDIA provider's samples into the registry under dcgm-exporter's
 * names and labels (`DCGM_FI_DEV_GPU_UTIL{gpu,UUID,device,modelName}`, FB_* in MiB, power in
 * W, clocks in MHz), so dashboards built for dcgm-exporter work unchanged. Per-process memory,
 * which dcgm-exporter does not export, is `headroom_gpu_process_memory_bytes`.
 *
 * A field the GPU does not report has its series removed rather than left at a stale value;
 * a process that ended has its series removed. When the provider is not available, `update()`
 * rejects with its reason and the agent's other monitors carry on.
 */
import type { Gauge } from "../../metrics/gauge.js";
import type { Registry } from "../../metrics/registry.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";
import { type GpuDeviceSample, MIB } from "./gpu-sample.js";
import type { NvidiaProvider } from "./nvidia-provider.js";

type DeviceLabel = "gpu" | "UUID" | "device" | "modelName";
type ProcessLabel = "gpu" | "UUID" | "pid" | "process_name";

const DEVICE_LABELS: readonly DeviceLabel[] = ["gpu", "UUID", "device", "modelName"];

/** dcgm-exporter field name, help, and how to read it from a device sample. */
const FIELDS: readonly [string, string, (d: GpuDeviceSample) => number | undefined][] = [
  ["DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", (d) => d.utilizationGpu],
  ["DCGM_FI_DEV_MEM_COPY_UTIL", "Memory utilization (in %).", (d) => d.utilizationMemory],
  ["DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", (d) => mib(d.memoryUsedBytes)],
  ["DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).", (d) => mib(d.memoryFreeBytes)],
  ["DCGM_FI_DEV_FB_TOTAL", "Framebuffer memory total (in MiB).", (d) => mib(d.memoryTotalBytes)],
  ["DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", (d) => d.temperatureC],
  ["DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", (d) => d.powerDrawW],
  ["DCGM_FI_DEV_POWER_MGMT_LIMIT", "Power management limit (in W).", (d) => d.powerLimitW],
  ["DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz).", (d) => d.smClockMhz],
  ["DCGM_FI_DEV_MEM_CLOCK", "Memory clock frequency (in MHz).", (d) => d.memClockMhz],
];

function mib(bytes: number | undefined): number | undefined {
  return bytes === undefined ? undefined : bytes / MIB;
}

export interface NvidiaMonitorOptions {
  /** Monitor id (default "gpu.nvidia"). */
  id?: string;
}

export class NvidiaMonitor implements ResourceMonitor {
  readonly #provider: NvidiaProvider;
  readonly #id: string;
  readonly #gauges: Gauge<DeviceLabel>[];
  readonly #procMemory: Gauge<ProcessLabel>;
  readonly #available: Gauge;
  #procSeries = new Map<string, Record<ProcessLabel, string>>();
  #report: ResourceUsageReport = { currentBytes: 0, peakBytes: 0 };

  constructor(provider: NvidiaProvider, registry: Registry, options: NvidiaMonitorOptions = {}) {
    this.#provider = provider;
    this.#id = options.id ?? "gpu.nvidia";
    this.#gauges = FIELDS.map(([name, help]) => registry.gauge({ name, help, labelNames: DEVICE_LABELS }));
    this.#procMemory = registry.gauge({
      name: "headroom_gpu_process_memory_bytes",
      help: "GPU memory used by one process.",
      labelNames: ["gpu", "UUID", "pid", "process_name"],
    });
    this.#available = registry.gauge({
      name: "headroom_gpu_provider_available",
      help: "1 while the NVIDIA provider answers, 0 while it is not available.",
    });
  }

  monitorId(): string {
    return this.#id;
  }

  resourceType(): MonitoredResourceType {
    return MonitoredResourceType.Gpu;
  }

  /** GPU memory in bytes over every GPU: used, peak since start, total. */
  getUsageReport(): ResourceUsageReport {
    return this.#report;
  }

  async update(): Promise<void> {
    let sample: Awaited<ReturnType<NvidiaProvider["sample"]>>;
    try {
      sample = await this.#provider.sample();
    } catch (err) {
      this.#available.set(0);
      throw err;
    }
    this.#available.set(1);
    const seen = new Map<string, Record<ProcessLabel, string>>();
    let used = 0;
    let total: number | undefined = 0;
    for (const d of sample.devices) {
      const labels = { gpu: String(d.index), UUID: d.uuid, device: `nvidia${d.index}`, modelName: d.name };
      FIELDS.forEach(([, , read], i) => {
        const v = read(d);
        if (v === undefined) this.#gauges[i].remove(labels);
        else this.#gauges[i].set(labels, v);
      });
      for (const p of d.processes) {
        const pl = { gpu: String(d.index), UUID: d.uuid, pid: String(p.pid), process_name: p.name };
        const key = `${pl.gpu}\u0000${pl.pid}\u0000${pl.process_name}`;
        seen.set(key, pl);
        if (p.usedBytes === undefined) this.#procMemory.remove(pl);
        else this.#procMemory.set(pl, p.usedBytes);
      }
      used += d.memoryUsedBytes ?? 0;
      total =
        total === undefined || d.memoryTotalBytes === undefined ? undefined : total + d.memoryTotalBytes;
    }
    for (const [key, pl] of this.#procSeries) if (!seen.has(key)) this.#procMemory.remove(pl);
    this.#procSeries = seen;
    this.#report = {
      currentBytes: used,
      peakBytes: Math.max(used, this.#report.peakBytes),
      ...(total === undefined || sample.devices.length === 0 ? {} : { totalCapacityBytes: total }),
    };
  }

  /** Closes the provider (its nvidia-smi children or the NVML session). */
  close(): Promise<void> {
    return this.#provider.close();
  }
}

/** The DCGM-named GPU monitor over `provider`; it owns the provider and closes it. */
export function createNvidiaMonitor(
  provider: NvidiaProvider,
  registry: Registry,
  options: NvidiaMonitorOptions = {},
): NvidiaMonitor {
  return new NvidiaMonitor(provider, registry, options);
}
