/**
 * The monitors the agent runs, from the `[monitors]` section: every host subsystem, the Node
 * runtime monitor, and NVIDIA GPUs when a driver answers. Include/exclude filters are regular
 * expressions over the subsystem's main label (interface, block device, mount point).
 */
import { existsSync } from "node:fs";
import { ErrorCode, HeadroomError } from "../errors.js";
import type { Registry } from "../metrics/registry.js";
import { createContainerMonitor } from "../monitors/containers/container-monitor.js";
import { createNvidiaMonitor } from "../monitors/gpu/nvidia-monitor.js";
import { createNvidiaProvider } from "../monitors/gpu/nvidia-provider.js";
import {
  createHostMonitors,
  HOST_SUBSYSTEMS,
  type HostSubsystem,
} from "../monitors/host/create-host-monitors.js";
import type { ResourceMonitor } from "../monitors/resource-monitor.js";
import { createRuntimeMonitor } from "../monitors/runtime/runtime-monitor.js";
import type { AgentConfig, MonitorToggle } from "./config-schema.js";
import type { Logger } from "./logger.js";
import { throttleSlowMonitors } from "./throttle.js";

/** `["eth.*", "wlan0"]` as one anchored RegExp, or undefined for an empty list. */
export function filterRegExp(patterns: readonly string[], key: string): RegExp | undefined {
  if (patterns.length === 0) return undefined;
  try {
    return new RegExp(`^(?:${patterns.map((p) => `(?:${p})`).join("|")})$`);
  } catch (err) {
    throw new HeadroomError(
      ErrorCode.Config,
      `[config] ${key}: not a valid regular expression: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

/** Where container engines listen by default (Docker, then rootful Podman). */
const CONTAINER_SOCKETS = ["/var/run/docker.sock", "/run/podman/podman.sock"];

export interface MonitorCatalogOptions {
  /** Filesystem roots, for running inside a container with the host's mounted (tests use fixtures). */
  readonly procfs?: string;
  readonly sysfs?: string;
  readonly rootfs?: string;
}

export async function createConfiguredMonitors(
  config: AgentConfig,
  registry: Registry,
  log: Logger,
  options: MonitorCatalogOptions = {},
): Promise<ResourceMonitor[]> {
  const m = config.monitors;
  const toggles = m as unknown as Record<HostSubsystem, MonitorToggle>;
  const enable = HOST_SUBSYSTEMS.filter((s) => toggles[s].enabled);
  const out: ResourceMonitor[] = createHostMonitors(registry, {
    ...config.path,
    ...options,
    enable,
    networkDeviceInclude: filterRegExp(m.network.include, "monitors.network.include"),
    networkDeviceExclude: filterRegExp(m.network.exclude, "monitors.network.exclude"),
    diskDeviceInclude: filterRegExp(m.disk.include, "monitors.disk.include"),
    diskDeviceExclude: filterRegExp(m.disk.exclude, "monitors.disk.exclude"),
    mountPointsExclude: filterRegExp(m.filesystem.exclude, "monitors.filesystem.exclude"),
  });
  // Event-loop delay sampled every 100 ms: each histogram timer wakes the process, and at
  // prom-client's 10 ms (or 20 ms) those wake-ups alone cost 0.5% (0.3%) of a core, half the
  // agent's budget. Blocks shorter than 100 ms are then caught in proportion to their length.
  if (m.runtime.enabled) out.push(createRuntimeMonitor(registry, { eventLoopResolutionMs: 100 }));
  if (m.containers.enabled) {
    const socket = m.containers.socket ?? CONTAINER_SOCKETS.find((p) => existsSync(p));
    if (m.containers.url)
      out.push(createContainerMonitor(registry, { url: m.containers.url, readCgroups: false }));
    else if (socket) out.push(createContainerMonitor(registry, { socketPath: socket }));
    else log.info("no Docker or Podman socket; container monitoring off");
  }
  if (m.gpu.enabled) {
    const provider = createNvidiaProvider({
      intervalMs: config.monitoring.collectionInterval,
      startTimeoutMs: 3000,
    });
    const status = await provider.start();
    if (status.available) {
      out.push(createNvidiaMonitor(provider, registry));
      log.info({ backend: status.backend }, "GPU monitoring on");
    } else {
      await provider.close();
      log.info({ reason: status.reason }, "no NVIDIA GPU; GPU monitoring off");
    }
  }
  return throttleSlowMonitors(out, config.monitoring.collectionInterval);
}
