/**
 * Alerting for the agent: the seed's thresholds and the configured rules compiled for the
 * alert engine, the configured channels behind one notifier (the seed's cooldown), alert state
 * persisted in the data directory, and the adapter the HTTP API reads. A reload swaps the
 * engine (rules) but keeps the notifier, silences and saved state, so nothing fires twice.
 */
import { join } from "node:path";
import { type ChannelConfig, channelFromConfig } from "../alerts/channels/from-config.js";
import { createLogChannel } from "../alerts/channels/log-channel.js";
import { type AlertEngine, createAlertEngine } from "../alerts/engine.js";
import { type ChannelRoute, createNotifier, type Notifier } from "../alerts/notifier.js";
import { type AlertRuleSpec, parseRules } from "../alerts/rule.js";
import { type AlertStateStore, createMemoryStateStore } from "../alerts/state-store.js";
import { createJsonFileStateStore } from "../alerts/stores/json-file-store.js";
import { createSqliteStateStore } from "../alerts/stores/sqlite-state-store.js";
import { rulesFromThresholds } from "../alerts/thresholds.js";
import { ErrorCode, errorMessage, HeadroomError, isHeadroomError } from "../errors.js";
import type { AlertsSource, AlertView } from "../server/sources.js";
import type { AgentConfig } from "./config-schema.js";
import type { Logger } from "./logger.js";

type Alerting = AgentConfig["monitoring"]["alerting"];
type Thresholds = AgentConfig["monitoring"]["thresholds"];

/**
 * The seed's thresholds as the alerting module's rules (hysteresis on the percent rules). The
 * container monitor exposes one `headroom_containers` series per state, so the container rule
 * watches its running series. A missing series (monitor disabled, no containers) stays ok.
 */
export function thresholdRules(t: Thresholds): AlertRuleSpec[] {
  return rulesFromThresholds(t).map((r) =>
    r.name === "HostContainerCountHigh"
      ? {
          ...r,
          metric: "headroom_containers",
          matchers: [{ name: "state", op: "=" as const, value: "running" }],
        }
      : r,
  );
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

/** Channels from `[[monitoring.alerting.channels]]`; none configured means alerts go to the log. */
export function createChannels(alerting: Alerting, log: Logger): ChannelRoute[] {
  const write = (line: string) => log.warn(line);
  if (alerting.channels.length === 0) return [{ channel: createLogChannel({ write }) }];
  return alerting.channels.map((raw) => channelFromConfig(raw as ChannelConfig, write));
}

export interface AgentAlerting {
  readonly source: AlertsSource;
  readonly engine: () => AlertEngine;
  readonly notifier: Notifier;
  /** Rebuilds the engine with new rules, keeping notifier, silences and saved state. */
  reload(config: AgentConfig): Promise<void>;
  close(): Promise<void>;
}

/**
 * Where pending/firing state, the notification log and silences survive a restart: the history
 * database when there is one (a table beside the samples), else `alerts.json` in the data
 * directory, else memory.
 */
function openStateStore(log: Logger, dataDir: string | undefined, historyFile: string | undefined) {
  if (historyFile) {
    try {
      return createSqliteStateStore(historyFile);
    } catch (err) {
      log.warn(
        { err: errorMessage(err) },
        "alert state cannot live in the history database; using alerts.json",
      );
    }
  }
  if (dataDir) return createJsonFileStateStore(join(dataDir, "alerts.json"));
  return createMemoryStateStore();
}

export async function createAgentAlerting(
  config: AgentConfig,
  log: Logger,
  dataDir: string | undefined,
  historyFile?: string,
): Promise<AgentAlerting> {
  const alerting = config.monitoring.alerting;
  const routes: ChannelRoute[] = createChannels(alerting, log);
  const notifier = createNotifier({ channels: routes, cooldown: alerting.cooldownPeriod, groupWait: "0s" });
  notifier.start(1000);
  const store: AlertStateStore & { close?(): void } = openStateStore(log, dataDir, historyFile);
  const onError = (err: HeadroomError) => log.warn({ err: err.message }, "alerting problem");
  const rulesOf = (c: AgentConfig) =>
    parseRules([...thresholdRules(c.monitoring.thresholds), ...configuredRules(c.monitoring.alerting)]);
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
      store.close?.();
    },
  };
}
