/**
 * Alert state in SQLite: one row in table `headroom_alert_state`. Give it the history database
 * (an open better-sqlite3 `Database`) so alert state lives beside the history, or a file path.
 */
import Database from "better-sqlite3";
import { ErrorCode, HeadroomError } from "../../errors.js";
import type { AlertStateStore } from "../state-store.js";
import { checkPersistedState } from "./json-file-store.js";

export function createSqliteStateStore(db: Database.Database | string): AlertStateStore & { close(): void } {
  const owned = typeof db === "string";
  const conn = typeof db === "string" ? new Database(db) : db;
  const where = typeof db === "string" ? db : conn.name;
  try {
    conn.exec(
      "CREATE TABLE IF NOT EXISTS headroom_alert_state (id INTEGER PRIMARY KEY CHECK (id = 1), saved_at INTEGER NOT NULL, body TEXT NOT NULL)",
    );
  } catch (cause) {
    throw new HeadroomError(ErrorCode.Storage, `[alerts:state] cannot create table in ${where}`, {
      data: { where },
      cause,
    });
  }
  const read = conn.prepare<[], { body: string }>("SELECT body FROM headroom_alert_state WHERE id = 1");
  const write = conn.prepare<[number, string]>(
    "INSERT INTO headroom_alert_state (id, saved_at, body) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET saved_at = excluded.saved_at, body = excluded.body",
  );
  return {
    async load() {
      const row = read.get();
      if (!row) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(row.body);
      } catch (cause) {
        throw new HeadroomError(
          ErrorCode.Storage,
          `[alerts:state] stored alert state in ${where} is not valid JSON`,
          {
            data: { where },
            cause,
          },
        );
      }
      return checkPersistedState(parsed, where);
    },
    async save(state) {
      try {
        write.run(state.savedAtMs, JSON.stringify(state));
      } catch (cause) {
        throw new HeadroomError(ErrorCode.Storage, `[alerts:state] cannot write alert state to ${where}`, {
          data: { where },
          cause,
        });
      }
    },
    close() {
      if (owned) conn.close();
    },
  };
}
