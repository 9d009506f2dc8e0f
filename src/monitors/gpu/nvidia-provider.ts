/**
 * The NVIDIA provider: per-GPU utilisation, memory, temperature, power, clocks and per-process
 * memory. First choice NVML through koffi; fallback nvidia-smi kept running in loop mode; on
 * a machine with neither it reports "not available" with the reason and every caller carries
 * on. It is also a VramProvider (one GPU, or all GPUs summed) for `createVramMonitor()`.
 */
import { ErrorCode, errorMessage, HeadroomError } from "../../errors.js";
import { type GpuDeviceSample, type GpuSample, MIB } from "./gpu-sample.js";
import { type NvmlSession, openNvml, procComm } from "./nvml-binding.js";
import { mapNvmlDevice } from "./nvml-map.js";
import {
  parseComputeAppLine,
  parseQueryGpuLine,
  SMI_APP_FIELDS,
  SMI_GPU_FIELDS,
  type SmiAppLine,
} from "./smi-csv.js";
import { SmiLoop } from "./smi-loop.js";
import type { VramProvider } from "./vram-monitor.js";

export const NvidiaBackend = { Nvml: "nvml", Smi: "nvidia-smi", None: "none" } as const;
export type NvidiaBackend = (typeof NvidiaBackend)[keyof typeof NvidiaBackend];

export interface NvidiaProviderOptions {
  /** "auto" (default): NVML, then nvidia-smi. Name one to use only that path. */
  backend?: "auto" | "nvml" | "nvidia-smi";
  /** NVML library to dlopen (default "libnvidia-ml.so.1"). */
  libraryPath?: string;
  /** nvidia-smi executable (default "nvidia-smi" on PATH). */
  smiCommand?: string;
  /** nvidia-smi loop period in ms (default 1000); match the monitor interval. */
  intervalMs?: number;
  /** How long to wait for nvidia-smi's first line (default 5000 ms). */
  startTimeoutMs?: number;
  /** The GPU the VramProvider view reports; all GPUs summed when undefined. */
  gpuIndex?: number;
  /** Process name for a pid when NVML gives only the pid (default /proc/<pid>/comm). */
  processName?: (pid: number) => string;
  now?: () => number;
}

export interface NvidiaStatus {
  readonly available: boolean;
  readonly backend: NvidiaBackend;
  /** Why the provider is not available, or why the last sample failed. */
  readonly reason?: string;
  /** Why NVML was not used when the fallback runs. */
  readonly nvmlReason?: string;
  /** Malformed nvidia-smi lines skipped so far, and loop restarts. */
  readonly badLines?: number;
  readonly restarts?: number;
  /** Why nvidia-smi's process listing is not running (GPU readings may still be). */
  readonly processesReason?: string;
}

export interface NvidiaProvider extends VramProvider {
  /** Picks and starts a backend. Idempotent; never throws: read `available` and `reason`. */
  start(): Promise<NvidiaStatus>;
  status(): NvidiaStatus;
  /**
   * A sample of every GPU (starting the provider if needed). Rejects HR_UNAVAILABLE (with the
   * reason) when no backend works or the nvidia-smi loop died, HR_TIMEOUT when it stopped
   * printing, HR_INVALID_VALUE when NVML returned garbage.
   */
  sample(): Promise<GpuSample>;
  /** The last successful sample, without reading. */
  latest(): GpuSample | undefined;
  /** VramProvider hook: takes a sample so the getters are current. */
  refresh(): Promise<void>;
  /** Stops the nvidia-smi children or shuts NVML down. Idempotent. */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createNvidiaProvider(options: NvidiaProviderOptions = {}): NvidiaProvider {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 1000;
  const startTimeoutMs = options.startTimeoutMs ?? 5000;
  const processName = options.processName ?? procComm;
  const command = options.smiCommand ?? "nvidia-smi";
  let status: NvidiaStatus = { available: false, backend: NvidiaBackend.None, reason: "not started" };
  let starting: Promise<NvidiaStatus> | undefined;
  let nvml: NvmlSession | undefined;
  let gpuLoop: SmiLoop | undefined;
  let appLoop: SmiLoop | undefined;
  const devices = new Map<number, GpuDeviceSample>();
  const apps = new Map<string, { line: SmiAppLine; atMs: number }>();
  let last: GpuSample | undefined;
  let peakMb = 0;
  let closed = false;

  const unavailable = (reason: string) =>
    new HeadroomError(ErrorCode.Unavailable, `[gpu:nvidia] not available: ${reason}`, { data: { reason } });

  async function startSmi(): Promise<string | undefined> {
    gpuLoop = new SmiLoop({
      command,
      args: [`--query-gpu=${SMI_GPU_FIELDS.join(",")}`, "--format=csv,noheader,nounits"],
      intervalMs,
      now,
      onLine: (line, n) => {
        const d = parseQueryGpuLine(line, n);
        devices.set(d.index, d);
      },
    });
    appLoop = new SmiLoop({
      command,
      args: [`--query-compute-apps=${SMI_APP_FIELDS.join(",")}`, "--format=csv,noheader,nounits"],
      intervalMs,
      now,
      onLine: (line, n) => {
        const p = parseComputeAppLine(line, n);
        apps.set(`${p.gpuUuid}\u0000${p.pid}`, { line: p, atMs: now() });
      },
    });
    gpuLoop.ensureRunning();
    appLoop.ensureRunning();
    const deadline = now() + startTimeoutMs;
    while (now() < deadline) {
      const s = gpuLoop.state();
      if (s.lastLineAtMs !== undefined) return undefined;
      if (!s.running && s.reason !== undefined) break;
      await sleep(20);
    }
    const s = gpuLoop.state();
    const reason = s.reason ?? `no valid line from ${command} within ${startTimeoutMs} ms`;
    await closeSmi();
    return s.badLines > 0 ? `${reason} (${s.badLines} malformed lines, last: "${s.lastBadLine}")` : reason;
  }

  async function closeSmi(): Promise<void> {
    await Promise.all([gpuLoop?.close(), appLoop?.close()]);
    gpuLoop = undefined;
    appLoop = undefined;
  }

  async function pick(): Promise<NvidiaStatus> {
    const mode = options.backend ?? "auto";
    let nvmlReason: string | undefined;
    if (mode !== "nvidia-smi") {
      const r = await openNvml(options.libraryPath);
      if (r.ok) {
        nvml = r.session;
        return { available: true, backend: NvidiaBackend.Nvml };
      }
      nvmlReason = r.reason;
      if (mode === "nvml")
        return { available: false, backend: NvidiaBackend.None, reason: `NVML: ${r.reason}` };
    }
    const smiReason = await startSmi();
    if (smiReason === undefined) return { available: true, backend: NvidiaBackend.Smi, nvmlReason };
    const reason =
      nvmlReason === undefined ? `nvidia-smi: ${smiReason}` : `NVML: ${nvmlReason}; nvidia-smi: ${smiReason}`;
    return { available: false, backend: NvidiaBackend.None, reason, nvmlReason };
  }

  function sampleSmi(): GpuSample {
    const loop = gpuLoop as SmiLoop;
    loop.ensureRunning();
    appLoop?.ensureRunning();
    const s = loop.state();
    if (!s.running) throw unavailable(s.reason ?? `${command} is not running`);
    // After a restart, the new child gets a full period before its silence counts.
    const age = now() - Math.max(s.lastLineAtMs ?? 0, s.startedAtMs ?? 0);
    const stale = Math.max(3 * intervalMs, 2000);
    if (age > stale) {
      throw new HeadroomError(
        ErrorCode.Timeout,
        `[gpu:nvidia] ${command} printed nothing valid for ${age} ms`,
        {
          data: { ageMs: age, badLines: s.badLines, lastBadLine: s.lastBadLine },
        },
      );
    }
    // A process line belongs to the current picture while its loop iteration is recent.
    const fresh = now() - (1.5 * intervalMs + 250);
    for (const [key, a] of apps) if (a.atMs < fresh) apps.delete(key);
    const out: GpuDeviceSample[] = [];
    for (const d of [...devices.values()].sort((a, b) => a.index - b.index)) {
      const procs = [...apps.values()]
        .filter((a) => a.line.gpuUuid === d.uuid)
        .map((a) => ({ pid: a.line.pid, name: a.line.name, usedBytes: a.line.usedBytes }));
      out.push({ ...d, processes: procs });
    }
    return { timestampMs: now(), devices: out };
  }

  function selected(sample: GpuSample | undefined): GpuDeviceSample[] {
    if (sample === undefined) return [];
    const i = options.gpuIndex;
    return i === undefined ? [...sample.devices] : sample.devices.filter((d) => d.index === i);
  }

  const provider: NvidiaProvider = {
    start() {
      if (closed) return Promise.resolve(status);
      starting ??= pick().then((s) => {
        status = s;
        return s;
      });
      return starting;
    },
    status() {
      const s = gpuLoop?.state();
      if (s === undefined) return status;
      const a = appLoop?.state();
      const processesReason = a !== undefined && !a.running ? a.reason : undefined;
      return {
        ...status,
        badLines: s.badLines,
        restarts: s.restarts,
        ...(processesReason ? { processesReason } : {}),
      };
    },
    async sample() {
      if (closed) throw unavailable("the provider was closed");
      const s = await provider.start();
      if (!s.available) throw unavailable(s.reason ?? "unknown reason");
      let sample: GpuSample;
      if (nvml !== undefined) {
        const raw = nvml.read();
        sample = { timestampMs: now(), devices: raw.map((d) => mapNvmlDevice(d, processName)) };
      } else {
        sample = sampleSmi();
      }
      last = sample;
      const used = provider.getVramUsageMb();
      if (used > peakMb) peakMb = used;
      return sample;
    },
    latest: () => last,
    async refresh() {
      await provider.sample();
    },
    getVramUsageMb() {
      return selected(last).reduce((sum, d) => sum + (d.memoryUsedBytes ?? 0), 0) / MIB;
    },
    getVramPeakMb() {
      return Math.max(peakMb, provider.getVramUsageMb());
    },
    getVramCapacityMb() {
      const devs = selected(last);
      if (devs.length === 0 || devs.some((d) => d.memoryTotalBytes === undefined)) return undefined;
      return devs.reduce((sum, d) => sum + (d.memoryTotalBytes ?? 0), 0) / MIB;
    },
    async close() {
      if (closed) return;
      closed = true;
      await starting?.catch(() => undefined);
      await closeSmi();
      try {
        nvml?.close();
      } catch (err) {
        status = { ...status, reason: `nvmlShutdown failed: ${errorMessage(err)}` };
      }
      nvml = undefined;
    },
  };
  return provider;
}
