/**
 * The agent's own health as metrics, so the cost of watching is itself watched: its CPU time,
 * resident memory, tick duration, tick failures and live-stream clients. Names are
 * `headroom_agent_*` so they never collide with the runtime monitor's prom-client names.
 */
import type { Registry } from "../metrics/registry.js";

export interface AgentSelfMetrics {
  /** Called by the agent loop after each tick with its wall time. */
  tickDone(seconds: number, ok: boolean): void;
  setStreamClients(n: number): void;
}

export function registerAgentSelfMetrics(
  registry: Registry,
  version: string,
  startedMs: number,
): AgentSelfMetrics {
  registry.info({
    name: "headroom_agent_info",
    help: "The running Headroom agent's version and Node.js version.",
    labels: { version, nodejs: process.version },
  });
  const cpu = registry.counter({
    name: "headroom_agent_cpu_seconds_total",
    help: "CPU seconds (user + system) the agent process has used.",
  });
  const rss = registry.gauge({
    name: "headroom_agent_resident_memory_bytes",
    help: "Resident set size of the agent process.",
  });
  const heap = registry.gauge({
    name: "headroom_agent_heap_used_bytes",
    help: "V8 heap in use by the agent.",
  });
  const uptime = registry.gauge({
    name: "headroom_agent_uptime_seconds",
    help: "Seconds since the agent started.",
  });
  const ticks = registry.counter({
    name: "headroom_agent_ticks_total",
    help: "Collection ticks run, by result.",
    labelNames: ["result"],
  });
  const tickSeconds = registry.gauge({
    name: "headroom_agent_tick_duration_seconds",
    help: "Wall time of the last collection tick (monitors, history, alerts, exporters).",
  });
  const streams = registry.gauge({
    name: "headroom_agent_stream_clients",
    help: "Live-stream clients connected.",
  });
  const ok = ticks.labels({ result: "ok" });
  const failed = ticks.labels({ result: "error" });
  registry.registerCollector(
    () => {
      const usage = process.cpuUsage();
      cpu.setTotal((usage.user + usage.system) / 1e6);
      const memory = process.memoryUsage();
      rss.set(memory.rss);
      heap.set(memory.heapUsed);
      uptime.set((Date.now() - startedMs) / 1000);
    },
    { name: "agent-self" },
  );
  return {
    tickDone(seconds, success) {
      tickSeconds.set(seconds);
      (success ? ok : failed).inc();
    },
    setStreamClients(n) {
      streams.set(n);
    },
  };
}
