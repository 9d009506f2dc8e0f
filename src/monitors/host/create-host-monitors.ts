/**
 * The factory the agent (and any library user) calls to watch a host: one monitor per
 * subsystem, all writing into the given registry, ready to register with a MonitorRegistry and
 * drive with the scheduler.
 *
 * ```ts
 * const registry = createRegistry();
 * const monitors = createMonitorRegistry();
 * for (const m of createHostMonitors(registry, { procfs: "/host/proc", sysfs: "/host/sys", rootfs: "/host" }))
 *   monitors.registerResourceMonitor(m);
 * createMonitorScheduler(monitors, { intervalMs: 10_000, metrics: registry }).start();
 * ```
 *
 * `procfs`, `sysfs` and `rootfs` are node_exporter's `--path.procfs`, `--path.sysfs` and
 * `--path.rootfs`: inside a container, bind-mount the host's /proc, /sys and / and point these at
 * them to watch the host.
 */
import type { Registry } from "../../metrics/registry.js";
import type { ResourceMonitor } from "../resource-monitor.js";
import { CpuMonitor } from "./cpu-monitor.js";
import { DiskMonitor } from "./disk-monitor.js";
import { FilesystemMonitor, type StatfsFn } from "./filesystem-monitor.js";
import { HostMemoryMonitor } from "./memory-monitor.js";
import { NetworkMonitor } from "./network-monitor.js";
import { PressureMonitor } from "./pressure-monitor.js";
import { ProcessMonitor } from "./process-monitor.js";
import { SystemMonitor } from "./system-monitor.js";

export const HOST_SUBSYSTEMS = [
  "cpu",
  "memory",
  "disk",
  "filesystem",
  "network",
  "system",
  "processes",
  "pressure",
] as const;
export type HostSubsystem = (typeof HOST_SUBSYSTEMS)[number];

export interface HostMonitorsOptions {
  /** Where procfs is mounted; default `/proc`. */
  procfs?: string;
  /** Where sysfs is mounted; default `/sys`. */
  sysfs?: string;
  /** The host's root filesystem (statfs targets, utmp); default `/`. */
  rootfs?: string;
  /** Subsystems to create; default all of HOST_SUBSYSTEMS. */
  enable?: readonly HostSubsystem[];
  /** Network interfaces: keep only matching / skip matching names. */
  networkDeviceInclude?: RegExp;
  networkDeviceExclude?: RegExp;
  /** Block devices: keep only matching / skip matching (default node_exporter's exclusion). */
  diskDeviceInclude?: RegExp;
  diskDeviceExclude?: RegExp;
  /** Filesystems: skip mount points / filesystem types (default node_exporter's). */
  mountPointsExclude?: RegExp;
  fsTypesExclude?: RegExp;
  /** How long one statfs may take before its mount is reported stuck (default 2000 ms). */
  statfsTimeoutMs?: number;
  statfs?: StatfsFn;
  /** Rows in each process top list (default 10). */
  topProcesses?: number;
  /** Prefix of the monitor ids (default `host.`): lets one agent watch two roots. */
  idPrefix?: string;
}

/** Creates the host monitors (not yet registered or started). Throws only on a metric name clash. */
export function createHostMonitors(registry: Registry, options: HostMonitorsOptions = {}): ResourceMonitor[] {
  const roots = {
    procfs: options.procfs ?? "/proc",
    sysfs: options.sysfs ?? "/sys",
    rootfs: options.rootfs ?? "/",
  };
  const enabled = new Set(options.enable ?? HOST_SUBSYSTEMS);
  const p = options.idPrefix ?? "host.";
  const out: ResourceMonitor[] = [];
  if (enabled.has("cpu")) out.push(new CpuMonitor(registry, { roots, id: `${p}cpu` }));
  if (enabled.has("memory")) out.push(new HostMemoryMonitor(registry, { roots, id: `${p}memory` }));
  if (enabled.has("disk")) {
    out.push(
      new DiskMonitor(registry, {
        roots,
        id: `${p}disk`,
        deviceInclude: options.diskDeviceInclude,
        deviceExclude: options.diskDeviceExclude,
      }),
    );
  }
  if (enabled.has("filesystem")) {
    out.push(
      new FilesystemMonitor(registry, {
        roots,
        id: `${p}filesystem`,
        mountPointsExclude: options.mountPointsExclude,
        fsTypesExclude: options.fsTypesExclude,
        statfsTimeoutMs: options.statfsTimeoutMs,
        statfs: options.statfs,
      }),
    );
  }
  if (enabled.has("network")) {
    out.push(
      new NetworkMonitor(registry, {
        roots,
        id: `${p}network`,
        deviceInclude: options.networkDeviceInclude,
        deviceExclude: options.networkDeviceExclude,
      }),
    );
  }
  const processes = enabled.has("processes")
    ? new ProcessMonitor(registry, { roots, id: `${p}processes`, topN: options.topProcesses })
    : undefined;
  if (enabled.has("system")) {
    out.push(
      new SystemMonitor(registry, { roots, id: `${p}system`, processCount: () => processes?.processCount() }),
    );
  }
  if (processes) out.push(processes);
  if (enabled.has("pressure")) out.push(new PressureMonitor(registry, { roots, id: `${p}pressure` }));
  return out;
}
