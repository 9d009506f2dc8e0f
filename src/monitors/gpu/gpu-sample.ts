/**
 * What an NVIDIA provider reads per GPU, whichever path (NVML or nvidia-smi) it came from.
 * A reading the driver does not support (`[N/A]`, NVML_ERROR_NOT_SUPPORTED) is `undefined`,
 * never 0, so consumers can tell "idle" from "unknown".
 */
export interface GpuProcessSample {
  readonly pid: number;
  /** Process name as the driver reports it ("" when NVML gives only the pid). */
  readonly name: string;
  readonly usedBytes: number | undefined;
}

export interface GpuDeviceSample {
  /** Device index as the driver numbers it (dcgm-exporter's `gpu` label). */
  readonly index: number;
  readonly uuid: string;
  readonly name: string;
  /** Percent of time a kernel ran over the driver's sample period (DCGM_FI_DEV_GPU_UTIL). */
  readonly utilizationGpu: number | undefined;
  /** Percent of time device memory was read or written (DCGM_FI_DEV_MEM_COPY_UTIL). */
  readonly utilizationMemory: number | undefined;
  readonly memoryTotalBytes: number | undefined;
  readonly memoryUsedBytes: number | undefined;
  readonly memoryFreeBytes: number | undefined;
  readonly temperatureC: number | undefined;
  readonly powerDrawW: number | undefined;
  readonly powerLimitW: number | undefined;
  readonly smClockMhz: number | undefined;
  readonly memClockMhz: number | undefined;
  readonly processes: readonly GpuProcessSample[];
}

/** One sample of every GPU the provider sees. */
export interface GpuSample {
  /** When the reading was taken (ms since epoch). */
  readonly timestampMs: number;
  readonly devices: readonly GpuDeviceSample[];
}

export const MIB = 1024 * 1024;
