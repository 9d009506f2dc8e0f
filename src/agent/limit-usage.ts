/**
 * The usage seed 003's `check_resource_limits` compares against its limits, read from two
 * registry snapshots by node_exporter's names: CPU busy percent from the change in
 * `node_cpu_seconds_total` (all modes but idle and iowait), memory from MemTotal minus
 * MemAvailable, disk from the root filesystem's size and available bytes.
 */
import { findFamily, findValue, type MetricsSnapshot } from "../metrics/snapshot.js";
import type { ResourceLimitUsage } from "../monitors/capacity.js";

const IDLE = new Set(["idle", "iowait"]);

function cpuSeconds(s: MetricsSnapshot): { busy: number; total: number } | undefined {
  const f = findFamily(s, "node_cpu_seconds_total");
  if (f?.type !== "counter" || f.series.length === 0) return undefined;
  let busy = 0;
  let total = 0;
  for (const series of f.series) {
    total += series.value;
    if (!IDLE.has(series.labels.mode ?? "")) busy += series.value;
  }
  return { busy, total };
}

/** Usage between `before` and `after`; a part without data stays undefined (not checked). */
export function limitUsage(before: MetricsSnapshot, after: MetricsSnapshot): ResourceLimitUsage {
  const usage: ResourceLimitUsage = {};
  const a = cpuSeconds(before);
  const b = cpuSeconds(after);
  if (a && b && b.total > a.total) usage.cpuUsagePercent = ((b.busy - a.busy) / (b.total - a.total)) * 100;
  const total = findValue(after, "node_memory_MemTotal_bytes");
  const available = findValue(after, "node_memory_MemAvailable_bytes");
  if (total !== undefined && available !== undefined) {
    usage.memoryTotalBytes = total;
    usage.memoryUsedBytes = total - available;
  }
  const size = findValue(after, "node_filesystem_size_bytes", { mountpoint: "/" });
  const avail = findValue(after, "node_filesystem_avail_bytes", { mountpoint: "/" });
  if (size !== undefined && avail !== undefined) {
    usage.diskTotalBytes = size;
    usage.diskUsedBytes = size - avail;
  }
  return usage;
}
