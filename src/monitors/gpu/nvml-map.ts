/**
 * Pure mapping from what NVML returns (as read by nvml-binding.ts) to a GpuDeviceSample.
 * Kept apart from the FFI so it is tested on readings recorded on a real H100
 * (test/fixtures/nvidia/nvml-*.jsonl) on machines without a GPU.
 */
import { ErrorCode, HeadroomError } from "../../errors.js";
import type { GpuDeviceSample, GpuProcessSample } from "./gpu-sample.js";

/** One device as read through NVML; a call that failed or is not supported leaves its field undefined. */
export interface NvmlRawDevice {
  index: number;
  uuid?: string;
  name?: string;
  /** nvmlDeviceGetMemoryInfo, bytes. */
  mem?: { total: number; free: number; used: number };
  /** nvmlDeviceGetUtilizationRates, percent. */
  util?: { gpu: number; memory: number };
  tempC?: number;
  /** nvmlDeviceGetPowerUsage / nvmlDeviceGetEnforcedPowerLimit, milliwatts. */
  powerMw?: number;
  limitMw?: number;
  smMhz?: number;
  memMhz?: number;
  /** nvmlDeviceGetComputeRunningProcesses_v3 entries. */
  procs?: { pid: number; usedGpuMemory: number }[];
}

// NVML_VALUE_NOT_AVAILABLE is (unsigned long long)-1; through a double it reads as 2^64.
const NOT_AVAILABLE = 2 ** 64;

function finite(v: unknown, field: string, index: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    throw new HeadroomError(
      ErrorCode.InvalidValue,
      `[gpu:nvml] device ${index}: ${field} is not a number: ${String(v)}`,
      {
        data: { index, field, value: v },
      },
    );
  }
  return v >= NOT_AVAILABLE ? undefined : v;
}

/**
 * Maps one raw device. Throws HR_INVALID_VALUE naming the field when a reading is not a
 * non-negative number (a broken binding, not a GPU state).
 */
export function mapNvmlDevice(
  raw: NvmlRawDevice,
  processName: (pid: number) => string = () => "",
): GpuDeviceSample {
  const i = raw.index;
  const procs: GpuProcessSample[] = (raw.procs ?? []).map((p) => ({
    pid: finite(p.pid, "pid", i) ?? 0,
    name: processName(p.pid),
    usedBytes: finite(p.usedGpuMemory, "usedGpuMemory", i),
  }));
  const mw = (v: number | undefined, f: string) => {
    const x = finite(v, f, i);
    return x === undefined ? undefined : x / 1000;
  };
  return {
    index: i,
    uuid: raw.uuid ?? "",
    name: raw.name ?? "",
    utilizationGpu: finite(raw.util?.gpu, "util.gpu", i),
    utilizationMemory: finite(raw.util?.memory, "util.memory", i),
    memoryTotalBytes: finite(raw.mem?.total, "mem.total", i),
    memoryUsedBytes: finite(raw.mem?.used, "mem.used", i),
    memoryFreeBytes: finite(raw.mem?.free, "mem.free", i),
    temperatureC: finite(raw.tempC, "tempC", i),
    powerDrawW: mw(raw.powerMw, "powerMw"),
    powerLimitW: mw(raw.limitMw, "limitMw"),
    smClockMhz: finite(raw.smMhz, "smMhz", i),
    memClockMhz: finite(raw.memMhz, "memMhz", i),
    processes: procs,
  };
}
