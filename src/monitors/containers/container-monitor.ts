/**
 * Containers through the Docker Engine API (or Podman's compatible service): the seed's
 * ContainerMetrics (total / running / stopped counts and per-container details), with
 * per-container resource series read from each running container's cgroup when this host can
 * see it (cAdvisor names, through CgroupMonitor), and from the API's stats otherwise.
 *
 * CPU percent is Docker's: computed from two consecutive stats samples, the previous update's
 * and this one's (Podman's one-shot stats carry no usable `precpu_stats`).
 */

import { existsSync } from "node:fs";
import { errorMessage } from "../../errors.js";
import type { Registry } from "../../metrics/registry.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";
import { CgroupMonitor } from "./cgroup-monitor.js";
import {
  type CgroupLocation,
  type CgroupTarget,
  cgroupTargetForPid,
  readCgroupLayout,
} from "./cgroup-target.js";
import {
  cpuPercentBetween,
  createDockerClient,
  type DockerClient,
  type DockerClientOptions,
  type DockerStats,
} from "./docker-client.js";

/** Seed 003's ContainerDetailMetrics. */
export interface ContainerDetailMetrics {
  containerId: string;
  containerName: string;
  image: string;
  state: string;
  cpuUsagePercent: number | undefined;
  memoryUsageBytes: number | undefined;
  memoryLimitBytes: number | undefined;
  networkBytesSent: number | undefined;
  networkBytesReceived: number | undefined;
  /** Seconds since the epoch. */
  createdAt: number;
}

/** Seed 003's ContainerMetrics. */
export interface ContainerMetrics {
  totalContainers: number;
  runningContainers: number;
  stoppedContainers: number;
  containerDetails: ContainerDetailMetrics[];
}

export interface ContainerMonitorOptions extends DockerClientOptions, CgroupLocation {
  id?: string;
  /** A client to use instead of building one from the socket/url options. */
  client?: DockerClient;
  /** Read per-container cgroups (default true; off for a remote daemon). */
  readCgroups?: boolean;
}

const STOPPED = new Set(["exited", "dead", "stopped", "created"]);

export class ContainerMonitor implements ResourceMonitor {
  readonly #id: string;
  readonly #client: DockerClient;
  readonly #options: ContainerMonitorOptions;
  readonly #cgroups: CgroupMonitor;
  readonly #states;
  readonly #cpu;
  readonly #mem;
  readonly #rx;
  readonly #tx;
  #cgroupTargets: CgroupTarget[] = [];
  #prev = new Map<string, DockerStats>();
  #pids = new Map<string, number>();
  #metrics: ContainerMetrics | undefined;
  #errors: { id: string; error: string }[] = [];
  #report: ResourceUsageReport = { currentBytes: 0, peakBytes: 0 };

  constructor(registry: Registry, options: ContainerMonitorOptions = {}) {
    this.#id = options.id ?? "containers.docker";
    this.#options = options;
    this.#client = options.client ?? createDockerClient(options);
    this.#cgroups = new CgroupMonitor(registry, {
      id: `${this.#id}.cgroups`,
      targets: () => this.#cgroupTargets,
    });
    const labelNames = ["id", "name", "image"] as const;
    this.#states = registry.gauge({
      name: "headroom_containers",
      help: "Containers known to the engine, by state.",
      labelNames: ["state"],
    });
    this.#cpu = registry.gauge({
      name: "headroom_container_api_cpu_usage_percent",
      help: "CPU percent as `docker stats` shows it (100 = one core), from consecutive API samples.",
      labelNames,
    });
    this.#mem = registry.gauge({
      name: "headroom_container_api_memory_usage_bytes",
      help: "Memory usage as the engine API reports it.",
      labelNames,
    });
    const net = (name: string, help: string) =>
      registry.counter({ name, help, labelNames: ["id", "name", "image", "interface"] as const });
    this.#rx = net("container_network_receive_bytes_total", "Cumulative count of bytes received");
    this.#tx = net("container_network_transmit_bytes_total", "Cumulative count of bytes transmitted");
  }

  monitorId(): string {
    return this.#id;
  }

  resourceType() {
    return MonitoredResourceType.Container;
  }

  /** Running containers against all known (a count, not bytes). */
  getUsageReport(): ResourceUsageReport {
    return this.#report;
  }

  getContainerMetrics(): ContainerMetrics | undefined {
    return this.#metrics;
  }

  /** Containers whose stats or cgroup could not be read on the last update. */
  lastErrors(): readonly { id: string; error: string }[] {
    return [...this.#errors, ...this.#cgroups.lastErrors()];
  }

  async update(): Promise<void> {
    // A refused socket, a timeout or malformed JSON here fails the whole update (reported by
    // the scheduler); per-container failures below only skip that container.
    const list = await this.#client.listContainers({ all: true });
    const counts = new Map<string, number>();
    for (const c of list) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
    const errors: { id: string; error: string }[] = [];
    const details: ContainerDetailMetrics[] = [];
    const targets: CgroupTarget[] = [];
    const next = new Map<string, DockerStats>();
    const pids = new Map<string, number>();
    const readCgroups = this.#options.readCgroups ?? this.#options.url === undefined;
    const layout = readCgroups ? this.#layout() : undefined;
    this.#cpu.clear();
    this.#mem.clear();
    for (const c of list) {
      const detail: ContainerDetailMetrics = {
        containerId: c.id,
        containerName: c.name,
        image: c.image,
        state: c.state,
        cpuUsagePercent: undefined,
        memoryUsageBytes: undefined,
        memoryLimitBytes: undefined,
        networkBytesSent: undefined,
        networkBytesReceived: undefined,
        createdAt: c.created,
      };
      details.push(detail);
      if (c.state !== "running") continue;
      let labels = { id: `/${c.id}`, name: c.name, image: c.image };
      if (layout) {
        try {
          // The main pid is stable while the container runs: inspect only new containers and
          // ones whose pid is gone (restarted).
          let pid = this.#pids.get(c.id);
          if (pid === undefined || !existsSync(`${this.#options.procfs ?? "/proc"}/${pid}`)) {
            pid = await this.#client.containerPid(c.id);
          }
          pids.set(c.id, pid);
          if (pid > 0) {
            const t = cgroupTargetForPid(pid, { name: c.name, image: c.image }, this.#options, layout);
            targets.push(t);
            labels = { id: t.id, name: c.name, image: c.image };
          }
        } catch (err) {
          errors.push({ id: c.id, error: errorMessage(err) });
        }
      }
      let s: DockerStats;
      try {
        s = await this.#client.stats(c.id);
      } catch (err) {
        errors.push({ id: c.id, error: errorMessage(err) });
        continue;
      }
      next.set(c.id, s);
      const prev = this.#prev.get(c.id);
      detail.cpuUsagePercent = prev ? cpuPercentBetween(prev, s) : undefined;
      detail.memoryUsageBytes = s.memoryUsageBytes;
      detail.memoryLimitBytes = s.memoryLimitBytes;
      if (detail.cpuUsagePercent !== undefined) this.#cpu.set(labels, detail.cpuUsagePercent);
      if (s.memoryUsageBytes !== undefined) this.#mem.set(labels, s.memoryUsageBytes);
      let rx = 0;
      let tx = 0;
      for (const [iface, n] of Object.entries(s.networks)) {
        this.#rx.setTotal({ ...labels, interface: iface }, n.rxBytes);
        this.#tx.setTotal({ ...labels, interface: iface }, n.txBytes);
        rx += n.rxBytes;
        tx += n.txBytes;
      }
      if (Object.keys(s.networks).length > 0) {
        detail.networkBytesReceived = rx;
        detail.networkBytesSent = tx;
      }
    }
    this.#prev = next;
    this.#pids = pids;
    this.#cgroupTargets = targets;
    await this.#cgroups.update().catch((err) => errors.push({ id: "cgroups", error: errorMessage(err) }));
    this.#states.clear();
    for (const [state, n] of counts) this.#states.set({ state }, n);
    const running = counts.get("running") ?? 0;
    this.#metrics = {
      totalContainers: list.length,
      runningContainers: running,
      stoppedContainers: list.filter((c) => STOPPED.has(c.state)).length,
      containerDetails: details,
    };
    this.#errors = errors;
    this.#report = {
      currentBytes: running,
      peakBytes: Math.max(this.#report.peakBytes, running),
      totalCapacityBytes: list.length,
    };
  }

  #layout() {
    try {
      return readCgroupLayout(this.#options, 1);
    } catch {
      return undefined;
    }
  }
}

/**
 * The factory the agent calls for containers: a monitor over the Docker (or Podman) API at
 * `socketPath` (default /var/run/docker.sock) or `url`, reading each running container's cgroup
 * when this host can see it. Register it with the MonitorRegistry like the host monitors.
 */
export function createContainerMonitor(
  registry: Registry,
  options: ContainerMonitorOptions = {},
): ContainerMonitor {
  return new ContainerMonitor(registry, options);
}
