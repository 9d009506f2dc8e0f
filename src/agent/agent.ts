/**
 * The composition root: config -> registry, monitors and scheduler, history, the HTTP server
 * and live stream. Each tick runs every monitor once, collects the registry, appends the
 * snapshot to history and publishes it to the live stream. `stop()` is the graceful shutdown
 * (stop ticking, close the server, flush and close history); `reload()` re-reads the config
 * file and applies what can change at run time, keeping history and state.
 */
import { errorMessage } from "../errors.js";
import { negotiateExposition } from "../expose/negotiate.js";
import type { HistoryStore } from "../history/history-store.js";
import { createRegistry, type Registry } from "../metrics/registry.js";
import type { MetricsSnapshot } from "../metrics/snapshot.js";
import { createMonitorRegistry, type MonitorRegistry } from "../monitors/monitor-registry.js";
import type { ResourceMonitor } from "../monitors/resource-monitor.js";
import { createMonitorScheduler, type MonitorScheduler } from "../monitors/scheduler.js";
import type { ResourceManager } from "../resources/resource-manager.js";
import { createServerApp } from "../server/app.js";
import { loadDashboardFiles } from "../server/dashboard-files.js";
import { listen, type RunningServer } from "../server/listen.js";
import type { ServerSources } from "../server/sources.js";
import type { ResourceTracker } from "../tracker/resource-tracker.js";
import { type AgentResources, createAgentResources } from "./agent-resources.js";
import { loadConfig } from "./config-load.js";
import type { AgentConfig } from "./config-schema.js";
import { LiveFeed } from "./live.js";
import { createLogger, type Logger } from "./logger.js";
import { createConfiguredMonitors, type MonitorCatalogOptions } from "./monitor-catalog.js";
import { closeConsumers, createConsumers, createExporters } from "./pipeline.js";
import { registerAgentSelfMetrics } from "./self-metrics.js";
import { packageVersion } from "./version.js";

export interface AgentOptions {
  readonly config: AgentConfig;
  /** The file `config` came from; `reload()` re-reads it. */
  readonly configFile?: string;
  /** Environment for config reloads (overrides and `${VAR}`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
  /** Monitors to run besides the configured ones (tests, embedding applications). */
  readonly monitors?: readonly ResourceMonitor[];
  /** The built dashboard directory; default `web/dist` of the package. */
  readonly dashboardDir?: string;
  /** Where history files go (checked writable by the caller); undefined keeps history in memory. */
  readonly dataDir?: string;
  /** Run the collection loop (default true); false leaves ticking to `tick()` (one-shot commands). */
  readonly autoTick?: boolean;
  /** Create the monitors the config enables (default true); tests turn this off and pass `monitors`. */
  readonly configuredMonitors?: boolean;
  /**
   * Tracked resources, budgets and pools for `/api/v1/resources` and the dashboard, as plain
   * JSON: an application embedding the agent passes its ResourceManager's report here.
   */
  readonly resources?: () => unknown;
  /** A manager the embedding application acquires through; the agent creates one when omitted. */
  readonly resourceManager?: ResourceManager;
  /** A tracker the embedding application records into; the agent creates one when omitted. */
  readonly resourceTracker?: ResourceTracker;
  /** /proc, /sys and / roots for the host monitors (a container watching its host; fixtures). */
  readonly roots?: MonitorCatalogOptions;
}

export interface ReloadResult {
  readonly ok: boolean;
  readonly message: string;
}

export interface Agent {
  /** The server's base URL, or undefined when the server is disabled. */
  readonly url: string | undefined;
  readonly registry: Registry;
  readonly monitors: MonitorRegistry;
  readonly history: HistoryStore;
  readonly config: AgentConfig;
  /** The manager and tracker behind `/api/v1/resources`; host pressure is fed after each tick. */
  readonly resources: AgentResources;
  /** Runs one tick now (the loop also runs them on its own). */
  tick(): Promise<void>;
  reload(): Promise<ReloadResult>;
  stop(): Promise<void>;
}

export async function startAgent(options: AgentOptions): Promise<Agent> {
  let config = options.config;
  const startedMs = Date.now();
  const version = packageVersion();
  const log = options.logger ?? createLogger(config.log.level);
  const registry = createRegistry();
  const self = registerAgentSelfMetrics(registry, version, startedMs);
  const monitors = createMonitorRegistry();
  const resources = createAgentResources(registry, {
    manager: options.resourceManager,
    tracker: options.resourceTracker,
  });
  const env = options.env ?? {};
  if (options.configuredMonitors !== false) {
    for (const m of await createConfiguredMonitors(config, registry, log, options.roots))
      monitors.registerResourceMonitor(m);
  }
  for (const m of options.monitors ?? []) monitors.registerResourceMonitor(m);

  const scheduler: MonitorScheduler = createMonitorScheduler(monitors, {
    intervalMs: config.monitoring.collectionInterval,
    metrics: registry,
    onResult: (r) => {
      if (!r.ok)
        log.warn({ monitor: r.monitorId, error: r.error, timedOut: r.timedOut }, "monitor update failed");
    },
  });
  let consumers: Awaited<ReturnType<typeof createConsumers>>;
  try {
    consumers = await createConsumers(config, registry, log, options.dataDir, env);
  } catch (err) {
    await monitors.closeAll();
    throw err;
  }
  const { history, alerting } = consumers;
  const live = new LiveFeed();
  const encoded = new Map<string, { snapshot: MetricsSnapshot; body: string }>();
  let last: MetricsSnapshot = registry.snapshot();
  let ticks = 0;
  /** What /healthz reports as degraded: history not persisting, failing monitors, exporters failing. */
  const problems = (): string[] => {
    const out: string[] = [];
    const degraded = history.stats().degraded;
    if (degraded) out.push(`history: ${degraded}`);
    for (const m of scheduler.status())
      if (m.lastSuccess === false) out.push(`monitor ${m.monitorId}: ${m.lastError ?? "failed"}`);
    for (const e of consumers.exporters) {
      const err = e.stats().lastError;
      if (err) out.push(`exporter ${e.name}: ${err}`);
    }
    return out;
  };

  async function tick(): Promise<void> {
    const start = performance.now();
    let ok = true;
    try {
      if (config.monitoring.enableMonitoring) await scheduler.tick();
      last = await registry.collect();
      const appended = history.appendSnapshot(last);
      if (appended.rejected > 0) log.debug({ rejected: appended.rejected }, "history skipped samples");
      for (const e of consumers.exporters) e.push(last);
      if (alerting) await alerting.engine().evaluate(last);
      resources.update(last);
      live.publish(last);
      ticks++;
    } catch (err) {
      ok = false;
      log.error({ err: errorMessage(err) }, "tick failed");
    }
    self.tickDone((performance.now() - start) / 1000, ok);
    self.setStreamClients(live.size);
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopping = false;
  let inFlight: Promise<void> | undefined;
  const loop = () => {
    if (stopping) return;
    inFlight = tick().finally(() => {
      inFlight = undefined;
      if (!stopping) timer = setTimeout(loop, config.monitoring.collectionInterval);
    });
  };

  const sources: ServerSources = {
    // Scrapes read the last tick's sample set (at most one interval old, as the monitors only
    // change at ticks), encoded once per format: a scrape costs a string copy, not a collect.
    async renderMetrics(accept) {
      const exposition = negotiateExposition(accept);
      let cached = encoded.get(exposition.contentType);
      if (cached?.snapshot !== last) {
        cached = { snapshot: last, body: exposition.encode(last) };
        encoded.set(exposition.contentType, cached);
      }
      return { contentType: exposition.contentType, body: cached.body };
    },
    snapshot: () => last,
    health: () => {
      const list = problems();
      return {
        status: list.length === 0 ? "ok" : "degraded",
        version,
        uptimeSeconds: Math.round((Date.now() - startedMs) / 1000),
        problems: list,
      };
    },
    ready: () => ticks > 0,
    subscribe: (listener) => live.subscribe(listener),
    history,
    alerts: alerting?.source,
    resources: options.resources ?? resources.report,
    monitors: () =>
      scheduler.status().map((s) => ({
        monitorId: s.monitorId,
        ok: s.lastSuccess,
        lastDurationMs: s.lastDurationMs,
        lastError: s.lastError,
        runs: s.runs,
        failures: s.failures,
      })),
  };

  let server: RunningServer | undefined;
  if (config.server.enabled) {
    const app = createServerApp(sources, {
      auth: config.server.auth,
      maxConcurrentScrapes: config.server.maxConcurrentScrapes,
      dashboard: loadDashboardFiles(options.dashboardDir),
      onError: (err, path) => log.error({ err: errorMessage(err), path }, "request failed"),
    });
    server = await listen(app, {
      address: config.server.address,
      port: config.server.port,
      tls: config.server.tls,
    });
    log.info({ url: server.url }, "serving the dashboard, /metrics and /api/v1");
  }
  if (options.autoTick !== false) loop();

  return {
    url: server?.url,
    registry,
    monitors,
    history,
    resources,
    get config() {
      return config;
    },
    tick,
    async reload() {
      if (!options.configFile)
        return { ok: false, message: "no config file to reload (running on embedded defaults)" };
      let next: AgentConfig;
      try {
        const loaded = loadConfig(options.configFile, { env: options.env });
        for (const w of loaded.warnings) log.warn(w);
        next = loaded.config;
      } catch (err) {
        const message = `reload failed, keeping the running config: ${errorMessage(err)}`;
        log.error(message);
        return { ok: false, message };
      }
      const restart: string[] = [];
      if (next.server.port !== config.server.port || next.server.address !== config.server.address) {
        restart.push("server address/port");
      }
      if (JSON.stringify(next.history) !== JSON.stringify(config.history)) restart.push("history");
      if (JSON.stringify(next.monitors) !== JSON.stringify(config.monitors)) restart.push("monitors");
      try {
        if (alerting) await alerting.reload(next);
        if (JSON.stringify(next.monitoring.exporters) !== JSON.stringify(config.monitoring.exporters)) {
          const fresh = createExporters(next, registry, options.dataDir, env);
          const old = consumers.exporters;
          consumers.exporters = fresh;
          await Promise.all(old.map((e) => e.close()));
        }
      } catch (err) {
        const message = `reload failed, keeping the running config: ${errorMessage(err)}`;
        log.error(message);
        return { ok: false, message };
      }
      config = {
        ...next,
        server: { ...next.server, address: config.server.address, port: config.server.port },
      };
      log.level = config.log.level;
      const message = `config reloaded from ${options.configFile}${restart.length ? `; restart to apply: ${restart.join(", ")}` : ""}`;
      log.info(message);
      return { ok: true, message };
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      clearTimeout(timer);
      await inFlight;
      await server?.close();
      await scheduler.stop();
      await monitors.closeAll();
      await closeConsumers(consumers, log);
      resources.close();
      log.info("stopped");
    },
  };
}
