/**
 * The seed's monitor registry (`register_resource_monitor`, `get_registered_monitor::<T>`,
 * `get_registered_monitors`), as an explicit object rather than a process global: the agent
 * creates one, every monitor area (host, containers, runtime, memory, GPU) registers into it,
 * and the scheduler walks it.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { ResourceMonitor } from "./resource-monitor.js";

export interface MonitorRegistry {
  /**
   * Adds a monitor. Throws HR_ALREADY_REGISTERED (with `data.existing`) when another monitor
   * already holds the same `monitorId()`, so two areas never silently shadow each other.
   */
  registerResourceMonitor<T extends ResourceMonitor>(monitor: T): T;
  /**
   * The monitor registered under `id`, or undefined. With a `guard`, also undefined when the
   * monitor is not of the expected kind (the typed lookup of the seed).
   */
  getRegisteredMonitor<T extends ResourceMonitor = ResourceMonitor>(
    id: string,
    guard?: (m: ResourceMonitor) => m is T,
  ): T | undefined;
  /** Every registered monitor, in registration order (a copy; safe to keep). */
  getRegisteredMonitors(): ResourceMonitor[];
  /**
   * Removes the monitor and calls its `close()` (errors from close are swallowed: the monitor is
   * gone either way). Returns false when no monitor had that id.
   */
  unregisterResourceMonitor(id: string): Promise<boolean>;
  /** Closes and removes every monitor (agent shutdown). */
  closeAll(): Promise<void>;
}

export function createMonitorRegistry(): MonitorRegistry {
  const monitors = new Map<string, ResourceMonitor>();

  async function closeQuietly(monitor: ResourceMonitor): Promise<void> {
    try {
      await monitor.close?.();
    } catch {
      // A monitor that fails to release its descriptors must not block shutdown of the rest.
    }
  }

  return {
    registerResourceMonitor(monitor) {
      const id = monitor.monitorId();
      if (typeof id !== "string" || id === "") {
        throw new HeadroomError(
          ErrorCode.InvalidArgument,
          "[monitors] monitorId() must be a non-empty string",
          {
            data: { id },
          },
        );
      }
      const existing = monitors.get(id);
      if (existing) {
        throw new HeadroomError(
          ErrorCode.AlreadyRegistered,
          `[monitors] monitor "${id}" is already registered`,
          {
            data: { existing, id },
          },
        );
      }
      monitors.set(id, monitor);
      return monitor;
    },
    getRegisteredMonitor<T extends ResourceMonitor = ResourceMonitor>(
      id: string,
      guard?: (m: ResourceMonitor) => m is T,
    ): T | undefined {
      const m = monitors.get(id);
      if (!m) return undefined;
      if (guard && !guard(m)) return undefined;
      return m as T;
    },
    getRegisteredMonitors() {
      return [...monitors.values()];
    },
    async unregisterResourceMonitor(id) {
      const m = monitors.get(id);
      if (!m) return false;
      monitors.delete(id);
      await closeQuietly(m);
      return true;
    },
    async closeAll() {
      const all = [...monitors.values()];
      monitors.clear();
      await Promise.all(all.map(closeQuietly));
    },
  };
}
