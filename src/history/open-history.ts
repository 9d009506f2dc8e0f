/**
 * What the agent calls at start: the SQLite store when the file can be opened, otherwise an
 * in-memory store plus the reason, so monitoring carries on and the failure is reported
 * instead of stopping the agent.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { HistoryStore } from "./history-store.js";
import { createMemoryHistory, type MemoryHistoryOptions } from "./memory-store.js";
import { openSqliteHistory, type SqliteHistoryOptions } from "./sqlite-store.js";

export interface OpenHistoryOptions {
  /** The database; when absent, the store is memory-only. */
  sqlite?: SqliteHistoryOptions;
  /** Settings for the memory store used when SQLite is absent or cannot be opened. */
  memory?: MemoryHistoryOptions;
}

export interface OpenedHistory {
  readonly store: HistoryStore;
  readonly kind: "sqlite" | "memory";
  /** Why the SQLite store could not be used (HR_STORAGE or HR_CONFIG), when it could not. */
  readonly error?: HeadroomError;
}

export function openHistory(options: OpenHistoryOptions): OpenedHistory {
  if (!options.sqlite) return { store: createMemoryHistory(options.memory), kind: "memory" };
  try {
    return { store: openSqliteHistory(options.sqlite), kind: "sqlite" };
  } catch (err) {
    const error =
      err instanceof HeadroomError
        ? err
        : new HeadroomError(
            ErrorCode.Storage,
            `[history] cannot open ${options.sqlite.path}: ${String(err)}`,
            {
              cause: err,
            },
          );
    return { store: createMemoryHistory(options.memory), kind: "memory", error };
  }
}
