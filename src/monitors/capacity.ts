/**
 * The two limit checks of the seeds: seed 000's "monitor health check" (walk the monitors and
 * report those above a percentage of their capacity) and seed 003's `check_resource_limits`
 * (CPU, memory and disk usage against configured maxima, failing with a typed
 * ResourceLimitExceeded error that says what, the limit and the actual value).
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { MonitorRegistry } from "./monitor-registry.js";
import type { MonitoredResourceType } from "./resource-monitor.js";

export interface CapacityFinding {
  readonly monitorId: string;
  readonly resourceType: MonitoredResourceType;
  readonly usagePercent: number;
  readonly currentBytes: number;
  readonly totalCapacityBytes: number;
}

/**
 * Monitors whose last usage report is above `thresholdPercent` of a known capacity, highest
 * first. Monitors without a capacity (rates, counts) are skipped, as are reports that throw.
 */
export function findMonitorsOverCapacity(
  monitors: MonitorRegistry,
  thresholdPercent = 80,
): CapacityFinding[] {
  const out: CapacityFinding[] = [];
  for (const m of monitors.getRegisteredMonitors()) {
    let report: ReturnType<typeof m.getUsageReport>;
    try {
      report = m.getUsageReport();
    } catch {
      continue;
    }
    const cap = report.totalCapacityBytes;
    if (cap === undefined || !(cap > 0) || !Number.isFinite(report.currentBytes)) continue;
    const usagePercent = (report.currentBytes / cap) * 100;
    if (usagePercent > thresholdPercent) {
      out.push({
        monitorId: m.monitorId(),
        resourceType: m.resourceType(),
        usagePercent,
        currentBytes: report.currentBytes,
        totalCapacityBytes: cap,
      });
    }
  }
  return out.sort((a, b) => b.usagePercent - a.usagePercent);
}

/** Seed 003's resource limits, each optional (an absent limit is not checked). */
export interface ResourceLimits {
  maxCpuUsagePercent?: number;
  maxMemoryUsagePercent?: number;
  maxDiskUsagePercent?: number;
}

/**
 * The usage checked against the limits. Capacities are the effective ones: inside a cgroup with
 * limits, the cgroup's memory limit and CPU quota, not the host's (see `effectiveUsage`).
 */
export interface ResourceLimitUsage {
  cpuUsagePercent?: number;
  memoryUsedBytes?: number;
  memoryTotalBytes?: number;
  diskUsedBytes?: number;
  diskTotalBytes?: number;
}

/** The data of a ResourceLimitExceeded error (seed 003: what, limit, actual). */
export interface ResourceLimitExceeded {
  readonly what: "CPU usage" | "Memory usage" | "Disk usage";
  /** The configured limit, in percent. */
  readonly limit: number;
  /** The measured usage, in percent. */
  readonly actual: number;
}

export type ResourceLimitExceededError = HeadroomError<ResourceLimitExceeded>;

function percent(used: number | undefined, total: number | undefined): number | undefined {
  if (used === undefined || total === undefined || !(total > 0) || !Number.isFinite(used)) return undefined;
  return (used / total) * 100;
}

/**
 * Checks CPU, then memory, then disk, and returns the first limit exceeded as a
 * HR_RESOURCE_LIMIT_EXCEEDED error (returned, not thrown: being over a limit is a finding), or
 * undefined when all are within limits. A usage that is unknown is not checked ("no data" is
 * not a failure).
 */
export function checkResourceLimits(
  limits: ResourceLimits,
  usage: ResourceLimitUsage,
): ResourceLimitExceededError | undefined {
  const checks: [ResourceLimitExceeded["what"], number | undefined, number | undefined][] = [
    ["CPU usage", limits.maxCpuUsagePercent, usage.cpuUsagePercent],
    ["Memory usage", limits.maxMemoryUsagePercent, percent(usage.memoryUsedBytes, usage.memoryTotalBytes)],
    ["Disk usage", limits.maxDiskUsagePercent, percent(usage.diskUsedBytes, usage.diskTotalBytes)],
  ];
  for (const [what, limit, actual] of checks) {
    if (limit === undefined || actual === undefined || !Number.isFinite(actual)) continue;
    if (actual > limit) {
      return new HeadroomError<ResourceLimitExceeded>(
        ErrorCode.ResourceLimitExceeded,
        `[limits] ${what} ${actual.toFixed(1)}% exceeds the limit of ${limit.toFixed(1)}%`,
        { data: { what, limit, actual } },
      );
    }
  }
  return undefined;
}
