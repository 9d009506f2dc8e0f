/**
 * Alerting for the agent: the seed's thresholds and the configured rules compiled for the
 * alert engine, the configured channels behind one notifier (the seed's cooldown), alert state
 * persisted in the data directory, and the adapter the HTTP API reads. A reload swaps the
 * engine (rules) but keeps the notifier, silences and saved state, so nothing fires twice.
 */
import { join } from "node:path";
import { createAlertmanagerChannel } from "../alerts/channels/alertmanager-channel.js";
import type { AlertChannel } from "../alerts/channels/channel.js";
import { createEmailChannel } from "../alerts/channels/email-channel.js";
import { createLogChannel } from "../alerts/channels/log-channel.js";
import { createSlackChannel } from "../alerts/channels/slack-channel.js";
import { createWebhookChannel } from "../alerts/channels/webhook-channel.js";
import { type AlertEngine, createAlertEngine } from "../alerts/engine.js";
import { type ChannelRoute, createNotifier, type Notifier } from "../alerts/notifier.js";
import { type AlertRuleSpec, parseRules } from "../alerts/rule.js";
import { type AlertStateStore, createMemoryStateStore } from "../alerts/state-store.js";
import { createJsonFileStateStore } from "../alerts/stores/json-file-store.js";
import { ErrorCode, errorMessage, HeadroomError, isHeadroomError } from "../errors.js";
import type { AlertsSource, AlertView } from "../server/sources.js";
import type { AgentConfig } from "./config-schema.js";
import type { Logger } from "./logger.js";

type Alerting = AgentConfig["monitoring"]["alerting"];
type Thresholds = AgentConfig["monitoring"]["thresholds"];

/**
 * The seed's threshold config as rules over the host monitors' derived series. A missing series
 * (monitor disabled, no containers) counts as ok rather than no-data, so defaults stay quiet.
 * network_bandwidth_percent needs a link-speed series no monitor provides yet.
 */
export function thresholdRules(t: Thresholds, forMs: number): AlertRuleSpec[] {
  const rule = (name: string, metric: string, threshold: number, summary: string): AlertRuleSpec => ({
    name,
    metric,
    op: ">",
    threshold,
    for: forMs,
    severity: "warning",
    noData: "ok",
    annotations: { summary },
  });
  return [
    rule("HighCpuUsage", "headroom_cpu_usage_percent", t.cpuUsagePercent, "High CPU usage: {{ $value }}%"),
    rule(
      "HighMemoryUsage",
      "headroom_memory_usage_percent",
      t.memoryUsagePercent,
      "High memory usage: {{ $value }}%",
    ),
    rule(
      "HighDiskUsage",
      "headroom_filesystem_usage_percent",
      t.diskUsagePercent,
      "High disk usage: {{ $value }}%",
    ),
    rule("TooManyProcesses", "headroom_system_processes", t.processCount, "{{ $value }} processes"),
    {
      ...rule(
        "TooManyContainers",
        "headroom_containers",
        t.containerCount,
        "{{ $value }} running containers",
      ),
      matchers: [{ name: "state", op: "=", value: "running" }],
    },
  ];
}

export function configuredRules(alerting: Alerting): AlertRuleSpec[] {
  return alerting.rules.map((r) => ({
    name: r.name,
    metric: r.series,
    matchers: Object.entries(r.labels).map(([name, value]) => ({ name, op: "=" as const, value })),
    op: r.op,
    threshold: r.threshold,
    for: r.for,
    severity: r.severity,
    noData: "ok" as const,
  }));
}

function str(c: Record<string, unknown>, key: string, where: string): string {
  const v = c[key];
  if (typeof v !== "string" || v === "") {
    throw new HeadroomError(ErrorCode.Config, `[config] ${where}.${key}: expected a string`);
  }
  return v;
}

/** Channels from `[[monitoring.alerting.channels]]`; none configured means alerts go to the log. */
export function createChannels(alerting: Alerting, log: Logger): AlertChannel[] {
  const write = (line: string) => log.warn(line);
  if (alerting.channels.length === 0) return [createLogChannel({ write })];
  return alerting.channels.map((raw, i) => {
    const c = raw as Record<string, unknown>;
    const where = `monitoring.alerting.channels[${i}]`;
    const name = typeof c.name === "string" ? c.name : `${raw.type}-${i}`;
    switch (raw.type) {
      case "log":
        return createLogChannel({ name, write });
      case "slack":
        return createSlackChannel({
          name,
          webhookUrl: str(c, "webhookUrl", where),
          channel: c.channel as string | undefined,
        });
      case "webhook":
        return createWebhookChannel({
          name,
          url: str(c, "url", where),
          headers: c.headers as Record<string, string> | undefined,
        });
      case "alertmanager":
        return createAlertmanagerChannel({ name, url: str(c, "url", where) });
      case "email": {
        const to = c.to;
        if (!Array.isArray(to) || to.length === 0)
          throw new HeadroomError(ErrorCode.Config, `[config] ${where}.to: expected a list of addresses`);
        const user = c.username as string | undefined;
        return createEmailChannel({
          name,
          host: str(c, "host", where),
          port: typeof c.port === "number" ? c.port : 25,
          secure: c.secure === true,
          from: str(c, "from", where),
          to: to.map(String),
          auth: user ? { user, pass: String(c.password ?? "") } : undefined,
        });
      }
      default:
        throw new HeadroomError(
          ErrorCode.Config,
          `[config] ${where}.type: unknown channel type "${String(raw.type)}"`,
        );
    }
  });
}

export interface AgentAlerting {
  readonly source: AlertsSource;
  readonly engine: () => AlertEngine;
  readonly notifier: Notifier;
  /** Rebuilds the engine with new rules, keeping notifier, silences and saved state. */
  reload(config: AgentConfig): Promise<void>;
  close(): Promise<void>;
}

export async function createAgentAlerting(
  config: AgentConfig,
  log: Logger,
  dataDir: string | undefined,
): Promise<AgentAlerting> {
  const alerting = config.monitoring.alerting;
  const routes: ChannelRoute[] = createChannels(alerting, log).map((channel) => ({ channel }));
  const notifier = createNotifier({ channels: routes, cooldown: alerting.cooldownPeriod, groupWait: "0s" });
  notifier.start(1000);
  const store: AlertStateStore = dataDir
    ? createJsonFileStateStore(join(dataDir, "alerts.json"))
    : createMemoryStateStore();
  const onError = (err: HeadroomError) => log.warn({ err: err.message }, "alerting problem");
  const rulesOf = (c: AgentConfig) =>
    parseRules([
      ...thresholdRules(c.monitoring.thresholds, 60_000),
      ...configuredRules(c.monitoring.alerting),
    ]);
  const build = async (rules: ReturnType<typeof rulesOf>) => {
    const e = createAlertEngine({ rules, notifier, stateStore: store, onError });
    await e.load();
    return e;
  };
  let engine = await build(rulesOf(config));

  const source: AlertsSource = {
    alerts: () =>
      engine.alerts().map(
        (a): AlertView => ({
          name: a.rule,
          state:
            a.state === "pending" || a.state === "resolved" || a.state === "inactive" ? a.state : "firing",
          severity: a.severity,
          labels: a.labels,
          value: a.value,
          sinceMs: a.activeAtMs,
          silenced: notifier.silences.isSilenced(a.labels, Date.now()),
        }),
      ),
    silences: () =>
      notifier.silences.list().map((s) => ({
        id: s.id,
        matchers: Object.fromEntries(
          s.matchers.map((m) => [m.name, m.op === "=" ? m.value : `${m.op}${m.value}`]),
        ),
        startsAtMs: s.startsAtMs,
        endsAtMs: s.endsAtMs,
        comment: s.comment,
        createdBy: s.createdBy,
      })),
    addSilence: (input) => {
      const s = notifier.silences.add({
        matchers: Object.entries(input.matchers).map(([name, value]) => ({ name, op: "=", value })),
        endsAtMs: Date.now() + input.durationMs,
        createdBy: input.createdBy,
        comment: input.comment,
      });
      return {
        id: s.id,
        matchers: input.matchers,
        startsAtMs: s.startsAtMs,
        endsAtMs: s.endsAtMs,
        comment: s.comment,
        createdBy: s.createdBy,
      };
    },
    removeSilence: (id) => {
      try {
        notifier.silences.expire(id);
        return true;
      } catch (err) {
        if (isHeadroomError(err, ErrorCode.NotFound)) return false;
        throw err;
      }
    },
  };

  return {
    source,
    engine: () => engine,
    notifier,
    async reload(c) {
      let rules: ReturnType<typeof rulesOf>;
      try {
        rules = rulesOf(c);
      } catch (err) {
        throw new HeadroomError(ErrorCode.Config, `[agent] alert rules: ${errorMessage(err)}`, {
          cause: err,
        });
      }
      // Closing saves the state the new engine then loads, so pending timers and firing alerts carry over.
      await engine.close();
      engine = await build(rules);
    },
    async close() {
      await engine.close();
      await notifier.close();
    },
  };
}
