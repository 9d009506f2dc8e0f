/**
 * The SQLite file layout and its migrations. `PRAGMA user_version` holds the schema version;
 * `MIGRATIONS[i]` takes a file from version i to i + 1 inside one transaction, so a later
 * release opens today's files by running only the steps after the file's version. A file
 * from a newer release is refused rather than half understood.
 */
import Database from "better-sqlite3";
import { ErrorCode, HeadroomError } from "../errors.js";

export type Db = Database.Database;

export const MIGRATIONS: readonly string[] = [
  // 0 -> 1: series, the head (unsealed samples, one codec blob per flush), sealed chunks, rollups.
  `CREATE TABLE series (
     id INTEGER PRIMARY KEY,
     key TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     labels TEXT NOT NULL
   );
   CREATE INDEX series_name ON series(name);
   CREATE TABLE head (
     series_id INTEGER NOT NULL,
     start_t INTEGER NOT NULL,
     data BLOB NOT NULL,
     PRIMARY KEY (series_id, start_t)
   ) WITHOUT ROWID;
   CREATE TABLE chunks (
     id INTEGER PRIMARY KEY,
     series_id INTEGER NOT NULL,
     start_t INTEGER NOT NULL,
     end_t INTEGER NOT NULL,
     count INTEGER NOT NULL,
     data BLOB NOT NULL
   );
   CREATE UNIQUE INDEX chunks_series_start ON chunks(series_id, start_t);
   CREATE TABLE rollup (
     tier INTEGER NOT NULL,
     series_id INTEGER NOT NULL,
     t INTEGER NOT NULL,
     count INTEGER NOT NULL,
     sum REAL NOT NULL,
     min REAL NOT NULL,
     max REAL NOT NULL,
     last REAL NOT NULL,
     PRIMARY KEY (tier, series_id, t)
   ) WITHOUT ROWID;`,
  // 1 -> 2: sealed chunks keep their timestamp column apart, shared by the series one snapshot
  // wrote (chunks.ts_id; NULL marks a version-1 chunk whose blob holds both columns).
  `CREATE TABLE timestamps (
     id INTEGER PRIMARY KEY,
     hash INTEGER NOT NULL,
     data BLOB NOT NULL
   );
   CREATE INDEX timestamps_hash ON timestamps(hash);
   ALTER TABLE chunks ADD COLUMN ts_id INTEGER;`,
  // 2 -> 3: unsealed samples go to an append-only log, one row per flush for every series
  // (the per-series head table made each flush touch a page per series). A checkpoint row
  // holding every head replaces the rows before it. The old head table is read once, then emptied.
  `CREATE TABLE head_log (
     seq INTEGER PRIMARY KEY,
     data BLOB NOT NULL
   );`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the file up to SCHEMA_VERSION. Throws HR_STORAGE for a file from a newer release. */
export function migrate(db: Db, path: string): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new HeadroomError(
      ErrorCode.Storage,
      `[history:sqlite] ${path} has schema version ${version}; this release reads up to ${SCHEMA_VERSION}`,
      { data: { path, version, supported: SCHEMA_VERSION } },
    );
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/**
 * Opens (creating when missing) the database in WAL mode. synchronous=NORMAL: in WAL mode a
 * committed transaction survives a killed process; only a power loss can drop the last ones.
 */
export function openDatabase(path: string, readOnly: boolean): Db {
  let db: Db;
  try {
    db = new Database(path, { readonly: readOnly, fileMustExist: readOnly });
  } catch (cause) {
    throw new HeadroomError(
      ErrorCode.Storage,
      `[history:sqlite] cannot open ${path}: ${(cause as Error).message}`,
      {
        data: { path },
        cause,
      },
    );
  }
  try {
    if (!readOnly) {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
    }
    db.pragma("busy_timeout = 5000");
    if (!readOnly) migrate(db, path);
    else if ((db.pragma("user_version", { simple: true }) as number) > SCHEMA_VERSION) migrate(db, path);
  } catch (cause) {
    db.close();
    if (cause instanceof HeadroomError) throw cause;
    throw new HeadroomError(
      ErrorCode.Storage,
      `[history:sqlite] cannot prepare ${path}: ${(cause as Error).message}`,
      {
        data: { path },
        cause,
      },
    );
  }
  return db;
}
