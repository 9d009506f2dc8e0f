/**
 * The Node runtime monitor: heap (per space too), RSS, CPU seconds, file descriptors,
 * event-loop delay and utilisation, GC pauses, active handles/requests/resources and the Node
 * version, under prom-client's default metric names so existing dashboards work. Values no
 * prom-client default carries are `headroom_nodejs_*`.
 *
 * One `update()` reads everything synchronously except `nodejs_eventloop_lag_seconds`, which
 * (as in prom-client) waits one setImmediate turn. GC pauses arrive between updates.
 */
import { type EventLoopUtilization, performance } from "node:perf_hooks";
import { getHeapSpaceStatistics, getHeapStatistics } from "node:v8";
import type { Counter } from "../../metrics/counter.js";
import type { Gauge } from "../../metrics/gauge.js";
import type { Registry } from "../../metrics/registry.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";
import { type LoopDelayStats, LoopDelayWindow, measureLag } from "./event-loop.js";
import { GcObserver } from "./gc-observer.js";
import { countOpenFds, parseMaxFds, parseProcStatus, readProc } from "./proc-self.js";

export interface RuntimeMonitorOptions {
  /** Monitor id (default "runtime"). */
  id?: string;
  /** Event-loop delay window; the delay histogram is reset once per window (default 60 s). */
  eventLoopWindowMs?: number;
  /** monitorEventLoopDelay resolution (default 10 ms, prom-client's). */
  eventLoopResolutionMs?: number;
  /** Also read /proc/self/status for virtual memory and data segment size (default true on Linux). */
  procStatus?: boolean;
}

type Handles = { constructor: { name: string } }[];
const proc = process as unknown as { _getActiveHandles?: () => Handles; _getActiveRequests?: () => Handles };

const LAG_NAMES = ["min", "max", "mean", "stddev", "p50", "p90", "p99"] as const;

export class RuntimeMonitor implements ResourceMonitor {
  readonly #id: string;
  readonly #delay: LoopDelayWindow;
  readonly #gc: GcObserver;
  readonly #procStatus: boolean;
  readonly #heapLimit: number;
  readonly #m: ReturnType<typeof createMetrics>;
  #elu: EventLoopUtilization;
  #peakHeap = 0;
  #heapUsed = 0;
  #closed = false;

  constructor(registry: Registry, options: RuntimeMonitorOptions = {}) {
    this.#id = options.id ?? "runtime";
    this.#m = createMetrics(registry);
    this.#delay = new LoopDelayWindow({
      resolutionMs: options.eventLoopResolutionMs,
      windowMs: options.eventLoopWindowMs,
    });
    this.#gc = new GcObserver(registry);
    this.#elu = performance.eventLoopUtilization();
    this.#heapLimit = getHeapStatistics().heap_size_limit;
    this.#procStatus = options.procStatus ?? process.platform === "linux";
    const [major, minor, patch] = process.versions.node.split(".");
    registry.info({
      name: "nodejs_version_info",
      help: "Node.js version info.",
      labels: { version: process.version, major, minor, patch },
    });
    this.#m.startTime.set(Math.round(performance.timeOrigin / 1000));
    // The limit rarely changes after start; reading it once keeps the sample cheap.
    const maxFds = parseMaxFds(readProc("/proc/self/limits") ?? "");
    if (maxFds !== undefined) this.#m.maxFds.set(maxFds);
  }

  monitorId(): string {
    return this.#id;
  }

  resourceType(): MonitoredResourceType {
    return MonitoredResourceType.Runtime;
  }

  /** V8 heap used in bytes, its peak since start, and the heap size limit. */
  getUsageReport(): ResourceUsageReport {
    return { currentBytes: this.#heapUsed, peakBytes: this.#peakHeap, totalCapacityBytes: this.#heapLimit };
  }

  /** The last event-loop delay figures (seconds), for callers that want them without a snapshot. */
  eventLoopDelay(): LoopDelayStats | undefined {
    return this.#delay.read();
  }

  async update(): Promise<void> {
    if (this.#closed) return;
    this.sampleSync();
    this.#m.lag.set(await measureLag());
  }

  /** Everything but the setImmediate lag: what `update()` costs on the calling turn. */
  sampleSync(): void {
    const m = this.#m;
    const mem = process.memoryUsage();
    m.rss.set(mem.rss);
    m.heapTotal.set(mem.heapTotal);
    m.heapUsed.set(mem.heapUsed);
    m.external.set(mem.external);
    m.arrayBuffers.set(mem.arrayBuffers);
    this.#heapUsed = mem.heapUsed;
    if (mem.heapUsed > this.#peakHeap) this.#peakHeap = mem.heapUsed;
    for (const s of getHeapSpaceStatistics()) {
      const space = s.space_name.endsWith("_space") ? s.space_name.slice(0, -6) : s.space_name;
      m.spaceTotal.set({ space }, s.space_size);
      m.spaceUsed.set({ space }, s.space_used_size);
      m.spaceAvailable.set({ space }, s.space_available_size);
    }
    const cpu = process.cpuUsage();
    m.cpuUser.setTotal(cpu.user / 1e6);
    m.cpuSystem.setTotal(cpu.system / 1e6);
    m.cpuTotal.setTotal((cpu.user + cpu.system) / 1e6);
    const fds = countOpenFds();
    if (fds !== undefined) m.openFds.set(fds);
    if (this.#procStatus) {
      const st = parseProcStatus(readProc("/proc/self/status") ?? "");
      if (st.virtualBytes !== undefined) m.virtual.set(st.virtualBytes);
      if (st.heapBytes !== undefined) m.dataHeap.set(st.heapBytes);
    }
    const d = this.#delay.read();
    if (d !== undefined) {
      for (let i = 0; i < LAG_NAMES.length; i++) m.lagStats[i].set(d[LAG_NAMES[i]]);
    }
    const elu = performance.eventLoopUtilization();
    m.elu.set(performance.eventLoopUtilization(elu, this.#elu).utilization);
    this.#elu = elu;
    countByType(m.resources, m.resourcesTotal, process.getActiveResourcesInfo());
    if (proc._getActiveHandles) countByType(m.handles, m.handlesTotal, typeNames(proc._getActiveHandles()));
    if (proc._getActiveRequests)
      countByType(m.requests, m.requestsTotal, typeNames(proc._getActiveRequests()));
  }

  /** Stops the delay histogram and the GC observer. */
  close(): void {
    this.#closed = true;
    this.#delay.close();
    this.#gc.close();
  }
}

function typeNames(list: Handles): string[] {
  return list.map((h) => h?.constructor?.name ?? "unknown");
}

function countByType(byType: Gauge<"type">, total: Gauge, types: readonly string[]): void {
  const counts = new Map<string, number>();
  for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
  // Types no longer present are dropped, not left at their last count.
  byType.retainOnly([...counts.keys()].map((type) => ({ type })));
  for (const [type, n] of counts) byType.set({ type }, n);
  total.set(types.length);
}

function createMetrics(r: Registry) {
  const g = (name: string, help: string) => r.gauge({ name, help });
  const c = (name: string, help: string): Counter => r.counter({ name, help });
  const byType = (name: string, help: string) => r.gauge({ name, help, labelNames: ["type"] });
  const bySpace = (name: string, help: string) => r.gauge({ name, help, labelNames: ["space"] });
  return {
    cpuUser: c("process_cpu_user_seconds_total", "Total user CPU time spent in seconds."),
    cpuSystem: c("process_cpu_system_seconds_total", "Total system CPU time spent in seconds."),
    cpuTotal: c("process_cpu_seconds_total", "Total user and system CPU time spent in seconds."),
    startTime: g("process_start_time_seconds", "Start time of the process since unix epoch in seconds."),
    rss: g("process_resident_memory_bytes", "Resident memory size in bytes."),
    virtual: g("process_virtual_memory_bytes", "Virtual memory size in bytes."),
    dataHeap: g("process_heap_bytes", "Process heap size in bytes."),
    openFds: g("process_open_fds", "Number of open file descriptors."),
    maxFds: g("process_max_fds", "Maximum number of open file descriptors."),
    lag: g("nodejs_eventloop_lag_seconds", "Lag of event loop in seconds."),
    lagStats: LAG_NAMES.map((k) =>
      g(`nodejs_eventloop_lag_${k}_seconds`, `The ${k} of the recorded event loop delays.`),
    ) as Gauge[],
    elu: g(
      "headroom_nodejs_eventloop_utilization",
      "Share of time the event loop was busy since the last sample (0-1).",
    ),
    heapTotal: g("nodejs_heap_size_total_bytes", "Process heap size from Node.js in bytes."),
    heapUsed: g("nodejs_heap_size_used_bytes", "Process heap size used from Node.js in bytes."),
    external: g("nodejs_external_memory_bytes", "Node.js external memory size in bytes."),
    arrayBuffers: g(
      "headroom_nodejs_array_buffers_bytes",
      "Memory held by ArrayBuffers and SharedArrayBuffers.",
    ),
    spaceTotal: bySpace(
      "nodejs_heap_space_size_total_bytes",
      "Process heap space size total from Node.js in bytes.",
    ),
    spaceUsed: bySpace(
      "nodejs_heap_space_size_used_bytes",
      "Process heap space size used from Node.js in bytes.",
    ),
    spaceAvailable: bySpace(
      "nodejs_heap_space_size_available_bytes",
      "Process heap space size available from Node.js in bytes.",
    ),
    resources: byType("nodejs_active_resources", "Active resources keeping the event loop alive, by type."),
    resourcesTotal: g("nodejs_active_resources_total", "Total number of active resources."),
    handles: byType("nodejs_active_handles", "Number of active libuv handles grouped by handle type."),
    handlesTotal: g("nodejs_active_handles_total", "Total number of active handles."),
    requests: byType("nodejs_active_requests", "Number of active libuv requests grouped by request type."),
    requestsTotal: g("nodejs_active_requests_total", "Total number of active requests."),
  };
}

/** The Node runtime monitor over `registry` (one per registry: prom-client's names are fixed). */
export function createRuntimeMonitor(
  registry: Registry,
  options: RuntimeMonitorOptions = {},
): RuntimeMonitor {
  return new RuntimeMonitor(registry, options);
}
