/**
 * Seed 003's ResourceMetrics (cpu, memory, disk, network, containers, system) read back from a
 * registry snapshot: the monitors write numbers only into the registry, and anything that wants
 * the seed's structured view (the agent's API, `checkResourceLimits`) reads it here.
 */
import type { MetricsSnapshot } from "../metrics/snapshot.js";
import type { ResourceLimitUsage } from "./capacity.js";

export interface ProcessCpuMetrics {
  pid: number;
  name: string;
  /** CPU seconds per second (1 = one core). */
  cpuRatio: number;
}

export interface ProcessMemoryMetrics {
  pid: number;
  name: string;
  rssBytes: number;
}

export interface ResourceMetrics {
  cpu: {
    usagePercent: number | undefined;
    loadAverage: [number, number, number] | undefined;
    cores: number | undefined;
    frequencyMhz: number | undefined;
    temperatureCelsius: number | undefined;
    processes: ProcessCpuMetrics[];
  };
  memory: {
    totalBytes: number | undefined;
    usedBytes: number | undefined;
    freeBytes: number | undefined;
    cachedBytes: number | undefined;
    buffersBytes: number | undefined;
    swapTotalBytes: number | undefined;
    swapUsedBytes: number | undefined;
    swapFreeBytes: number | undefined;
    processes: ProcessMemoryMetrics[];
  };
  disk: {
    totalBytes: number;
    usedBytes: number;
    freeBytes: number;
    readBytesPerSec: number;
    writeBytesPerSec: number;
    readOpsPerSec: number;
    writeOpsPerSec: number;
    partitions: {
      device: string;
      mountPoint: string;
      fsType: string;
      totalBytes: number;
      freeBytes: number;
    }[];
  };
  network: {
    bytesSent: number;
    bytesReceived: number;
    packetsSent: number;
    packetsReceived: number;
    errorsSent: number;
    errorsReceived: number;
    bandwidthBytesPerSec: number;
    interfaces: string[];
  };
  containers: { totalContainers: number; runningContainers: number; stoppedContainers: number };
  system: {
    uptimeSeconds: number | undefined;
    bootTime: number | undefined;
    users: number | undefined;
    processes: number | undefined;
    threads: number | undefined;
    openFiles: number | undefined;
    contextSwitches: number | undefined;
  };
  timestampMs: number;
}

function series(snap: MetricsSnapshot, name: string): { labels: Record<string, string>; value: number }[] {
  const f = snap.families.find((x) => x.name === name);
  if (!f || f.type === "histogram" || f.type === "summary") return [];
  return f.series as { labels: Record<string, string>; value: number }[];
}

function one(snap: MetricsSnapshot, name: string, match: Record<string, string> = {}): number | undefined {
  for (const s of series(snap, name))
    if (Object.entries(match).every(([k, v]) => s.labels[k] === v)) return s.value;
  return undefined;
}

function sum(snap: MetricsSnapshot, name: string): number {
  let t = 0;
  for (const s of series(snap, name)) t += s.value;
  return t;
}

export function readResourceMetrics(snap: MetricsSnapshot): ResourceMetrics {
  const l1 = one(snap, "node_load1");
  const l5 = one(snap, "node_load5");
  const l15 = one(snap, "node_load15");
  const freqs = series(snap, "headroom_cpu_frequency_hertz");
  const memTotal = one(snap, "node_memory_MemTotal_bytes");
  const swapTotal = one(snap, "node_memory_SwapTotal_bytes");
  const swapFree = one(snap, "node_memory_SwapFree_bytes");
  const cpuRows = series(snap, "headroom_process_cpu_ratio")
    .map((s) => ({ pid: Number(s.labels.pid), name: s.labels.name, cpuRatio: s.value }))
    .sort((a, b) => b.cpuRatio - a.cpuRatio);
  const memRows = series(snap, "headroom_process_resident_memory_bytes")
    .map((s) => ({ pid: Number(s.labels.pid), name: s.labels.name, rssBytes: s.value }))
    .sort((a, b) => b.rssBytes - a.rssBytes);
  const partitions = series(snap, "node_filesystem_size_bytes").map((s) => ({
    device: s.labels.device,
    mountPoint: s.labels.mountpoint,
    fsType: s.labels.fstype,
    totalBytes: s.value,
    freeBytes: one(snap, "node_filesystem_free_bytes", s.labels) ?? 0,
  }));
  const total = partitions.reduce((a, p) => a + p.totalBytes, 0);
  const free = partitions.reduce((a, p) => a + p.freeBytes, 0);
  const states = series(snap, "headroom_containers");
  const count = (pred: (state: string) => boolean) =>
    states.filter((s) => pred(s.labels.state)).reduce((a, s) => a + s.value, 0);
  return {
    cpu: {
      usagePercent: one(snap, "headroom_cpu_usage_percent"),
      loadAverage: l1 === undefined || l5 === undefined || l15 === undefined ? undefined : [l1, l5, l15],
      cores: one(snap, "headroom_cpu_cores"),
      frequencyMhz: freqs.length ? freqs.reduce((a, s) => a + s.value, 0) / freqs.length / 1e6 : undefined,
      temperatureCelsius: one(snap, "headroom_cpu_temperature_celsius"),
      processes: cpuRows,
    },
    memory: {
      totalBytes: memTotal,
      usedBytes: one(snap, "headroom_memory_used_bytes"),
      freeBytes: one(snap, "node_memory_MemFree_bytes"),
      cachedBytes: one(snap, "node_memory_Cached_bytes"),
      buffersBytes: one(snap, "node_memory_Buffers_bytes"),
      swapTotalBytes: swapTotal,
      swapUsedBytes: one(snap, "headroom_swap_used_bytes"),
      swapFreeBytes: swapFree,
      processes: memRows,
    },
    disk: {
      totalBytes: total,
      usedBytes: total - free,
      freeBytes: free,
      readBytesPerSec: sum(snap, "headroom_disk_read_bytes_per_second"),
      writeBytesPerSec: sum(snap, "headroom_disk_written_bytes_per_second"),
      readOpsPerSec: sum(snap, "headroom_disk_reads_per_second"),
      writeOpsPerSec: sum(snap, "headroom_disk_writes_per_second"),
      partitions,
    },
    network: {
      bytesSent: sum(snap, "node_network_transmit_bytes_total"),
      bytesReceived: sum(snap, "node_network_receive_bytes_total"),
      packetsSent: sum(snap, "node_network_transmit_packets_total"),
      packetsReceived: sum(snap, "node_network_receive_packets_total"),
      errorsSent: sum(snap, "node_network_transmit_errs_total"),
      errorsReceived: sum(snap, "node_network_receive_errs_total"),
      bandwidthBytesPerSec:
        sum(snap, "headroom_network_receive_bytes_per_second") +
        sum(snap, "headroom_network_transmit_bytes_per_second"),
      interfaces: series(snap, "node_network_receive_bytes_total").map((s) => s.labels.device),
    },
    containers: {
      totalContainers: count(() => true),
      runningContainers: count((s) => s === "running"),
      stoppedContainers: count((s) => s === "exited" || s === "dead" || s === "stopped" || s === "created"),
    },
    system: {
      uptimeSeconds: one(snap, "headroom_system_uptime_seconds"),
      bootTime: one(snap, "node_boot_time_seconds"),
      users: one(snap, "headroom_system_users"),
      processes: one(snap, "headroom_system_processes"),
      threads: one(snap, "headroom_system_threads"),
      openFiles: one(snap, "node_filefd_allocated"),
      contextSwitches: one(snap, "node_context_switches_total"),
    },
    timestampMs: snap.timestampMs,
  };
}

/**
 * The usage `checkResourceLimits` checks, from a snapshot: the container-aware effective view
 * (SelfCgroupMonitor's `view="effective"` series) when present, the host's otherwise.
 */
export function resourceLimitUsage(snap: MetricsSnapshot): ResourceLimitUsage {
  const m = readResourceMetrics(snap);
  const eff = { view: "effective" };
  return {
    cpuUsagePercent: one(snap, "headroom_self_cpu_usage_percent", eff) ?? m.cpu.usagePercent,
    memoryUsedBytes: one(snap, "headroom_self_memory_used_bytes", eff) ?? m.memory.usedBytes,
    memoryTotalBytes: one(snap, "headroom_capacity_memory_bytes", eff) ?? m.memory.totalBytes,
    diskUsedBytes: m.disk.partitions.length ? m.disk.usedBytes : undefined,
    diskTotalBytes: m.disk.partitions.length ? m.disk.totalBytes : undefined,
  };
}
