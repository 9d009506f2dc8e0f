/**
 * The parts a tick feeds after the monitors ran: history, alert evaluation and exporters, built
 * from the config and rebuilt (where they can be) on reload. Each consumer's failure is logged
 * and counted; none stops the others.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import { errorMessage } from "../errors.js";
import { createExporter, type ExporterConfig } from "../exporters/create-exporter.js";
import type { Exporter } from "../exporters/exporter.js";
import type { HistoryStore } from "../history/history-store.js";
import { createMemoryHistory } from "../history/memory-store.js";
import { openSqliteHistory, type SqliteHistoryStore } from "../history/sqlite-store.js";
import type { Registry } from "../metrics/registry.js";
import { type AgentAlerting, createAgentAlerting } from "./alerting.js";
import type { AgentConfig, ExporterSettings } from "./config-schema.js";
import type { Logger } from "./logger.js";

/** SQLite in the data directory, or a memory ring when there is none (snapshot, tests). */
export function openHistory(config: AgentConfig, dataDir: string | undefined, log: Logger): HistoryStore {
  if (!config.history.enabled || !dataDir) {
    return createMemoryHistory({ retentionMs: config.monitoring.retentionPeriod });
  }
  return openSqliteHistory({
    path: join(dataDir, "history.db"),
    retention: config.monitoring.retentionPeriod,
    tiers: config.history.tiers.length > 0 ? config.history.tiers : undefined,
    onError: (err) => log.error({ err: err.message }, "history write failed"),
  });
}

/** The SQLite file behind a history store, when it is one (alert state is kept beside it). */
function sqlitePath(history: HistoryStore): string | undefined {
  const path = (history as Partial<SqliteHistoryStore>).path;
  return typeof path === "string" && path !== ":memory:" ? path : undefined;
}

export function createExporters(
  config: AgentConfig,
  registry: Registry,
  dataDir: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Exporter[] {
  return config.monitoring.exporters.map((e) =>
    createExporter(exporterConfig(e, dataDir), { registry, env }),
  );
}

/** One `[[monitoring.exporters]]` entry as `createExporter`'s config (durations in ms). */
export function exporterConfig(e: ExporterSettings, dataDir: string | undefined): ExporterConfig {
  const { timeout, minBackoff, maxBackoff, ...rest } = e;
  return {
    ...rest,
    timeoutMs: timeout,
    minBackoffMs: minBackoff,
    maxBackoffMs: maxBackoff,
    spoolDir: dataDir ? join(dataDir, "spool", e.name) : undefined,
    externalLabels: { instance: hostname() },
  };
}

export interface Consumers {
  readonly history: HistoryStore;
  readonly alerting: AgentAlerting | undefined;
  exporters: Exporter[];
}

export async function createConsumers(
  config: AgentConfig,
  registry: Registry,
  log: Logger,
  dataDir: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Consumers> {
  const history = openHistory(config, dataDir, log);
  try {
    const alerting = config.monitoring.alerting.enableAlerting
      ? await createAgentAlerting(config, log, dataDir, sqlitePath(history))
      : undefined;
    return { history, alerting, exporters: createExporters(config, registry, dataDir, env) };
  } catch (err) {
    await history.close();
    throw err;
  }
}

/** Closes everything, flushing exporter queues and history first; logs and goes on past failures. */
export async function closeConsumers(c: Consumers, log: Logger): Promise<void> {
  const step = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      log.error({ err: errorMessage(err) }, `${what} failed at shutdown`);
    }
  };
  await Promise.all(c.exporters.map((e) => step(`exporter ${e.name}`, () => e.close())));
  if (c.alerting) await step("alerting", () => c.alerting!.close());
  await step("history flush", () => c.history.flush());
  await step("history close", () => c.history.close());
}
