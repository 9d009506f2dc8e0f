/**
 * The seed's `[monitoring.thresholds]` (cpu_usage_percent, memory_usage_percent,
 * disk_usage_percent, network_bandwidth_percent, container_count, process_count) as ready-made
 * rules over the host monitors' series. Percent rules get hysteresis (they clear `clearMargin`
 * points below the threshold) and a short `for`, so a value hovering at the line does not flap.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { AlertRuleSpec, Severity } from "./rule.js";

export interface Thresholds {
  cpuUsagePercent?: number;
  memoryUsagePercent?: number;
  diskUsagePercent?: number;
  networkBandwidthPercent?: number;
  containerCount?: number;
  processCount?: number;
}

type Key = keyof Thresholds;

interface Template {
  name: string;
  metric: string;
  labelNames: string[];
  percent: boolean;
  resource: string;
  summary: string;
}

/** Series each threshold watches; override with `options.metrics` when a monitor names it differently. */
export const thresholdMetrics: Readonly<Record<Key, string>> = {
  cpuUsagePercent: "headroom_cpu_usage_percent",
  memoryUsagePercent: "headroom_memory_usage_percent",
  diskUsagePercent: "headroom_filesystem_usage_percent",
  networkBandwidthPercent: "headroom_network_bandwidth_percent",
  containerCount: "headroom_containers_running",
  processCount: "headroom_system_processes",
};

const TEMPLATES: Record<Key, Omit<Template, "metric">> = {
  cpuUsagePercent: {
    name: "HostCpuUsageHigh",
    labelNames: [],
    percent: true,
    resource: "cpu",
    summary: "CPU usage is {{ $value }}% (threshold {{ $threshold }}%)",
  },
  memoryUsagePercent: {
    name: "HostMemoryUsageHigh",
    labelNames: [],
    percent: true,
    resource: "memory",
    summary: "Memory usage is {{ $value }}% (threshold {{ $threshold }}%)",
  },
  diskUsagePercent: {
    name: "HostDiskUsageHigh",
    labelNames: ["device", "fstype", "mountpoint"],
    percent: true,
    resource: "disk",
    summary: "Filesystem {{ $labels.mountpoint }} is {{ $value }}% full (threshold {{ $threshold }}%)",
  },
  networkBandwidthPercent: {
    name: "HostNetworkBandwidthHigh",
    labelNames: ["device"],
    percent: true,
    resource: "network",
    summary: "Network {{ $labels.device }} at {{ $value }}% of its bandwidth (threshold {{ $threshold }}%)",
  },
  containerCount: {
    name: "HostContainerCountHigh",
    labelNames: [],
    percent: false,
    resource: "containers",
    summary: "{{ $value }} containers running (threshold {{ $threshold }})",
  },
  processCount: {
    name: "HostProcessCountHigh",
    labelNames: [],
    percent: false,
    resource: "processes",
    summary: "{{ $value }} processes (threshold {{ $threshold }})",
  },
};

const SNAKE: Record<string, Key> = {
  cpu_usage_percent: "cpuUsagePercent",
  memory_usage_percent: "memoryUsagePercent",
  disk_usage_percent: "diskUsagePercent",
  network_bandwidth_percent: "networkBandwidthPercent",
  container_count: "containerCount",
  process_count: "processCount",
};

export interface ThresholdRuleOptions {
  severity?: Severity;
  /** Hold before firing (default "1m"). */
  for?: string | number;
  /** Percent rules clear this many points below the threshold (default 5). */
  clearMargin?: number;
  metrics?: Partial<Record<Key, string>>;
}

/**
 * Expands thresholds (camelCase, or the seed's snake_case keys) into rule specs for
 * `parseRules` / `createAlertEngine`. Throws HR_CONFIG naming an unknown key or a bad value.
 */
export function rulesFromThresholds(
  thresholds: Thresholds | Record<string, number>,
  options: ThresholdRuleOptions = {},
): AlertRuleSpec[] {
  const rules: AlertRuleSpec[] = [];
  const margin = options.clearMargin ?? 5;
  for (const [raw, value] of Object.entries(thresholds ?? {})) {
    if (value === undefined) continue;
    const key = (raw in TEMPLATES ? raw : SNAKE[raw]) as Key | undefined;
    if (!key) {
      throw new HeadroomError(ErrorCode.Config, `[alerts] thresholds: unknown key "${raw}"`, {
        data: { key: raw },
      });
    }
    const t = TEMPLATES[key];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (t.percent && value > 100)) {
      throw new HeadroomError(
        ErrorCode.Config,
        `[alerts] thresholds: "${raw}" must be a number in range, got ${value}`,
        {
          data: { key: raw, value },
        },
      );
    }
    rules.push({
      name: t.name,
      metric: options.metrics?.[key] ?? thresholdMetrics[key],
      op: ">",
      threshold: value,
      clear: t.percent && value - margin >= 0 ? { op: "<", threshold: value - margin } : undefined,
      for: options.for ?? "1m",
      severity: options.severity ?? "warning",
      labels: { resource: t.resource },
      labelNames: t.labelNames,
      annotations: { summary: t.summary },
    });
  }
  return rules;
}
