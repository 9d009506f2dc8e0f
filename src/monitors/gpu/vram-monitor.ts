/**
 * The seed's VramMonitor over a decoupled VramProvider. The monitor holds its provider by
 * `WeakRef` (the seed's `Weak<dyn VramProvider>`): the renderer or agent that owns the provider
 * keeps it alive, and once the owner drops it the monitor reports "unavailable" instead of
 * keeping a device context alive on its own.
 *
 * No `node:` import. A provider that throws, hangs in `refresh()` or returns garbage makes
 * `update()` reject with a typed error (the scheduler records it) and the previous report stays.
 */
import { ErrorCode, HeadroomError } from "../../errors.js";
import type { Gauge } from "../../metrics/gauge.js";
import type { Registry } from "../../metrics/registry.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";

export interface VramProvider {
  /** Current VRAM use in MB (MiB). Called by VramMonitor.update(), after `refresh()`. */
  getVramUsageMb(): number;
  /** Highest use the provider has seen, in MB. */
  getVramPeakMb(): number;
  /** Total VRAM in MB, or undefined when the device does not say. */
  getVramCapacityMb(): number | undefined;
  /**
   * Optional: brings the readings up to date before the getters are called (an NVML read, or
   * waiting for the nvidia-smi loop's first line). Rejecting marks the update as failed.
   */
  refresh?(): void | Promise<void>;
}

/** The seed's VramReport. */
export interface VramReport {
  readonly currentUsageMb: number;
  readonly peakUsageMb: number;
  readonly capacityMb: number | undefined;
}

export interface VramMonitorOptions {
  /** Monitor id (default "gpu.vram"; the seed's "WgpuVRAM"). */
  id?: string;
  /** How long `refresh()` may take before the update fails with HR_TIMEOUT (default 2000 ms). */
  timeoutMs?: number;
}

const MB = 1024 * 1024;

function mb(v: unknown, what: string, allowUndefined: boolean): number | undefined {
  if (v === undefined && allowUndefined) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    throw new HeadroomError(ErrorCode.InvalidValue, `[gpu:vram] provider returned ${String(v)} for ${what}`, {
      data: { field: what, value: v },
    });
  }
  return v;
}

export class VramMonitor implements ResourceMonitor {
  readonly #provider: WeakRef<VramProvider>;
  readonly #id: string;
  readonly #timeoutMs: number;
  readonly #used: Gauge;
  readonly #peak: Gauge;
  readonly #capacity: Gauge;
  readonly #available: Gauge;
  #report: VramReport | undefined;

  constructor(provider: VramProvider, registry: Registry, options: VramMonitorOptions = {}) {
    this.#provider = new WeakRef(provider);
    this.#id = options.id ?? "gpu.vram";
    this.#timeoutMs = options.timeoutMs ?? 2000;
    this.#used = registry.gauge({
      name: "headroom_vram_used_bytes",
      help: "VRAM in use, from the VRAM provider.",
    });
    this.#peak = registry.gauge({
      name: "headroom_vram_peak_bytes",
      help: "Highest VRAM use the provider has seen.",
    });
    this.#capacity = registry.gauge({
      name: "headroom_vram_capacity_bytes",
      help: "Total VRAM, when known.",
    });
    this.#available = registry.gauge({
      name: "headroom_vram_provider_available",
      help: "1 while the VRAM provider is alive and answering, 0 otherwise.",
    });
  }

  monitorId(): string {
    return this.#id;
  }

  resourceType(): MonitoredResourceType {
    return MonitoredResourceType.Vram;
  }

  /** The last successful reading, or undefined before one or once the provider is gone. */
  getVramReport(): VramReport | undefined {
    return this.#report;
  }

  /** True while the provider object is still alive (it may still fail to answer). */
  isProviderAlive(): boolean {
    return this.#provider.deref() !== undefined;
  }

  getUsageReport(): ResourceUsageReport {
    const r = this.#report;
    if (r === undefined) return { currentBytes: 0, peakBytes: 0 };
    return {
      currentBytes: r.currentUsageMb * MB,
      peakBytes: r.peakUsageMb * MB,
      ...(r.capacityMb === undefined ? {} : { totalCapacityBytes: r.capacityMb * MB }),
    };
  }

  /**
   * Reads the provider. Rejects with HR_UNAVAILABLE when it was garbage collected or threw,
   * HR_TIMEOUT when `refresh()` hangs, HR_INVALID_VALUE when it returned a non-number.
   */
  async update(): Promise<void> {
    const provider = this.#provider.deref();
    if (provider === undefined) {
      this.#report = undefined;
      this.#available.set(0);
      throw new HeadroomError(ErrorCode.Unavailable, `[gpu:vram] ${this.#id}: the VRAM provider is gone`);
    }
    try {
      await this.#refresh(provider);
      const current = mb(provider.getVramUsageMb(), "getVramUsageMb", false) as number;
      const peak = mb(provider.getVramPeakMb(), "getVramPeakMb", false) as number;
      const capacity = mb(provider.getVramCapacityMb(), "getVramCapacityMb", true);
      this.#report = Object.freeze({
        currentUsageMb: current,
        peakUsageMb: Math.max(peak, current),
        capacityMb: capacity,
      });
    } catch (err) {
      this.#available.set(0);
      if (err instanceof HeadroomError) throw err;
      throw new HeadroomError(ErrorCode.Unavailable, `[gpu:vram] ${this.#id}: the VRAM provider failed`, {
        cause: err,
      });
    }
    const r = this.#report;
    this.#available.set(1);
    this.#used.set(r.currentUsageMb * MB);
    this.#peak.set(r.peakUsageMb * MB);
    if (r.capacityMb !== undefined) this.#capacity.set(r.capacityMb * MB);
  }

  async #refresh(provider: VramProvider): Promise<void> {
    const pending = provider.refresh?.();
    if (!(pending instanceof Promise)) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new HeadroomError(
              ErrorCode.Timeout,
              `[gpu:vram] ${this.#id}: provider refresh took over ${this.#timeoutMs} ms`,
            ),
          ),
        this.#timeoutMs,
      );
    });
    try {
      await Promise.race([pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * A VramMonitor over `provider`, held weakly: the caller keeps the provider alive for as long
 * as it should be monitored. One per registry (its metric names are fixed).
 */
export function createVramMonitor(
  provider: VramProvider,
  registry: Registry,
  options: VramMonitorOptions = {},
): VramMonitor {
  return new VramMonitor(provider, registry, options);
}
