/**
 * NVML through koffi: `dlopen("libnvidia-ml.so.1")` and the handful of calls one sample needs
 * (30-67 µs per sample on an H100, against ~30 ms for one nvidia-smi spawn). Out-parameters
 * are plain Buffers decoded here, so the struct layouts (nvml.h) are visible in one place.
 *
 * `openNvml()` never throws: on a machine without the driver (or without koffi) it returns
 * `{ ok: false, reason }` and the provider falls back or reports "not available".
 */
import { readFileSync } from "node:fs";
import { errorMessage } from "../../errors.js";
import type { NvmlRawDevice } from "./nvml-map.js";

const NVML_SUCCESS = 0;
const NVML_ERROR_INSUFFICIENT_SIZE = 7;
const NVML_TEMPERATURE_GPU = 0;
const NVML_CLOCK_SM = 1;
const NVML_CLOCK_MEM = 2;
// nvmlProcessInfo_t (v2/v3): uint pid; (pad) ull usedGpuMemory; uint gpuInstanceId; uint computeInstanceId.
const PROCESS_INFO_SIZE = 24;
const NOT_AVAILABLE = 0xffffffffffffffffn;

export interface NvmlSession {
  readonly deviceCount: number;
  /** Reads every device. Failing calls leave their field undefined; never throws for one device. */
  read(): NvmlRawDevice[];
  /** nvmlShutdown and unload. Idempotent. */
  close(): void;
}

export type NvmlOpenResult = { ok: true; session: NvmlSession } | { ok: false; reason: string };

// biome-ignore lint/suspicious/noExplicitAny: koffi functions are untyped by nature.
type Fn = (...args: any[]) => any;

/** Reads /proc/<pid>/comm for a process name NVML does not give; "" when the process is gone or hidden. */
export function procComm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

function cString(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.toString("utf8", 0, end < 0 ? buf.length : end);
}

function u64(buf: Buffer, offset: number): number | undefined {
  const v = buf.readBigUInt64LE(offset);
  return v === NOT_AVAILABLE ? undefined : Number(v);
}

/** Loads NVML from `libraryPath` (default `libnvidia-ml.so.1`) and initialises it. */
export async function openNvml(libraryPath = "libnvidia-ml.so.1"): Promise<NvmlOpenResult> {
  let koffi: typeof import("koffi");
  try {
    koffi = (await import("koffi")).default as typeof import("koffi");
  } catch (err) {
    return { ok: false, reason: `koffi could not be loaded: ${errorMessage(err)}` };
  }
  let lib: ReturnType<typeof koffi.load>;
  try {
    lib = koffi.load(libraryPath);
  } catch (err) {
    return { ok: false, reason: `${libraryPath} could not be loaded: ${errorMessage(err)}` };
  }
  let f: Record<string, Fn>;
  try {
    f = {
      init: lib.func("int nvmlInit_v2(void)"),
      shutdown: lib.func("int nvmlShutdown(void)"),
      errorString: lib.func("const char *nvmlErrorString(int result)"),
      count: lib.func("int nvmlDeviceGetCount_v2(_Out_ unsigned int *count)"),
      handle: lib.func("int nvmlDeviceGetHandleByIndex_v2(unsigned int index, _Out_ void **device)"),
      name: lib.func("int nvmlDeviceGetName(void *device, void *name, unsigned int length)"),
      uuid: lib.func("int nvmlDeviceGetUUID(void *device, void *uuid, unsigned int length)"),
      memory: lib.func("int nvmlDeviceGetMemoryInfo(void *device, void *memory)"),
      util: lib.func("int nvmlDeviceGetUtilizationRates(void *device, void *utilization)"),
      temp: lib.func("int nvmlDeviceGetTemperature(void *device, int sensor, _Out_ unsigned int *temp)"),
      power: lib.func("int nvmlDeviceGetPowerUsage(void *device, _Out_ unsigned int *power)"),
      limit: lib.func("int nvmlDeviceGetEnforcedPowerLimit(void *device, _Out_ unsigned int *limit)"),
      clock: lib.func("int nvmlDeviceGetClockInfo(void *device, int type, _Out_ unsigned int *clock)"),
    };
  } catch (err) {
    lib.unload();
    return { ok: false, reason: `${libraryPath} lacks an expected NVML symbol: ${errorMessage(err)}` };
  }
  // Drivers before R510 lack _v3; _v2 fills the same 24-byte struct. Without either, samples
  // simply carry no process list.
  let procsFn: Fn | undefined;
  for (const version of ["v3", "v2"]) {
    try {
      procsFn = lib.func(
        `int nvmlDeviceGetComputeRunningProcesses_${version}(void *device, _Inout_ unsigned int *count, void *infos)`,
      );
      break;
    } catch {
      // try the next version
    }
  }
  const rcText = (rc: number) => `${String(f.errorString(rc))} (${rc})`;
  const rc = f.init() as number;
  if (rc !== NVML_SUCCESS) {
    // Text first: nothing of the library may be called once it is unloaded.
    const reason = `nvmlInit_v2 failed: ${rcText(rc)}`;
    lib.unload();
    return { ok: false, reason };
  }
  const countOut = [0];
  const crc = f.count(countOut) as number;
  if (crc !== NVML_SUCCESS) {
    const reason = `nvmlDeviceGetCount_v2 failed: ${rcText(crc)}`;
    f.shutdown();
    lib.unload();
    return { ok: false, reason };
  }
  const deviceCount = countOut[0];
  const handles: unknown[] = [];
  for (let i = 0; i < deviceCount; i++) {
    const out: unknown[] = [null];
    handles.push(f.handle(i, out) === NVML_SUCCESS ? out[0] : null);
  }
  // Scratch buffers reused by every sample: the sampling path allocates only result objects.
  const text = Buffer.alloc(96);
  const mem = Buffer.alloc(24);
  const util = Buffer.alloc(8);
  const uint = [0];
  let infos = Buffer.alloc(PROCESS_INFO_SIZE * 16);
  const names = handles.map((h) =>
    h !== null && f.name(h, text, text.length) === NVML_SUCCESS ? cString(text) : "",
  );
  const uuids = handles.map((h) =>
    h !== null && f.uuid(h, text, text.length) === NVML_SUCCESS ? cString(text) : "",
  );
  let closed = false;

  const readUint = (fn: Fn, h: unknown, ...args: number[]): number | undefined => {
    uint[0] = 0;
    return fn(h, ...args, uint) === NVML_SUCCESS ? uint[0] : undefined;
  };

  const readProcs = (h: unknown): NvmlRawDevice["procs"] => {
    if (procsFn === undefined) return undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const count = [infos.length / PROCESS_INFO_SIZE];
      const prc = procsFn(h, count, infos) as number;
      if (prc === NVML_ERROR_INSUFFICIENT_SIZE) {
        infos = Buffer.alloc(
          PROCESS_INFO_SIZE * Math.max(count[0] + 8, (infos.length / PROCESS_INFO_SIZE) * 2),
        );
        continue;
      }
      if (prc !== NVML_SUCCESS) return undefined;
      const out: { pid: number; usedGpuMemory: number }[] = [];
      for (let i = 0; i < count[0]; i++) {
        const o = i * PROCESS_INFO_SIZE;
        out.push({ pid: infos.readUInt32LE(o), usedGpuMemory: u64(infos, o + 8) ?? 2 ** 64 });
      }
      return out;
    }
    return undefined;
  };

  const session: NvmlSession = {
    deviceCount,
    read() {
      const devices: NvmlRawDevice[] = [];
      handles.forEach((h, index) => {
        if (h === null || closed) {
          devices.push({ index, name: names[index], uuid: uuids[index] });
          return;
        }
        const d: NvmlRawDevice = { index, name: names[index], uuid: uuids[index] };
        if (f.memory(h, mem) === NVML_SUCCESS) {
          d.mem = { total: u64(mem, 0) ?? 0, free: u64(mem, 8) ?? 0, used: u64(mem, 16) ?? 0 };
        }
        if (f.util(h, util) === NVML_SUCCESS)
          d.util = { gpu: util.readUInt32LE(0), memory: util.readUInt32LE(4) };
        d.tempC = readUint(f.temp, h, NVML_TEMPERATURE_GPU);
        d.powerMw = readUint(f.power, h);
        d.limitMw = readUint(f.limit, h);
        d.smMhz = readUint(f.clock, h, NVML_CLOCK_SM);
        d.memMhz = readUint(f.clock, h, NVML_CLOCK_MEM);
        d.procs = readProcs(h);
        devices.push(d);
      });
      return devices;
    },
    close() {
      if (closed) return;
      closed = true;
      f.shutdown();
      lib.unload();
    },
  };
  return { ok: true, session };
}
