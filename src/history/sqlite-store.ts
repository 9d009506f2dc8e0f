/**
 * The SQLite HistoryStore (better-sqlite3, one file, no server). Writes go to memory first:
 * each series keeps an unsealed head the size of one chunk; a full head is sealed into a
 * compressed chunk (`chunk-codec.ts`). Every `flushIntervalMs`, one transaction writes the new
 * head samples (one codec blob per series per flush), the sealed chunks (deleting the head
 * rows they replace) and the rollup-tier deltas. A killed process therefore loses at most the
 * samples since the last flush, and the file always opens (WAL, one transaction per flush).
 *
 * When a write fails because the disk is full or read-only, the store turns `degraded`,
 * `flush()` rejects with HR_STORAGE, and samples stay in memory (queryable) until a later
 * flush succeeds; past `maxPendingChunks` per series the oldest are dropped.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { Labels, MetricsSnapshot } from "../metrics/snapshot.js";
import { AppendGuard } from "./append-guard.js";
import type { HistoryStore, SeriesHandle, SeriesInfo } from "./history-store.js";
import { DEFAULT_TIERS, type DurationLike, durationMs, resolveTiers, type TierConfig } from "./retention.js";
import { labelsInclude, seriesKey, sortedLabels, validateSeries } from "./series.js";
import { SnapshotAppender } from "./snapshot-samples.js";
import { createChunkReader } from "./sqlite-chunk-reader.js";
import { applySqliteRetention, loadExisting } from "./sqlite-maintenance.js";
import { createSqliteQueries } from "./sqlite-queries.js";
import { openDatabase } from "./sqlite-schema.js";
import { encodeLog, type LogRecord, SqlSeries, sealChunk } from "./sqlite-series.js";
import { TimestampColumns } from "./sqlite-timestamps.js";

export interface SqliteHistoryOptions {
  /** Database file (created when missing), or ":memory:". */
  path: string;
  /** Raw-sample retention, e.g. "7d" (the seed's `retention_period`). Default 7 days. */
  retention?: DurationLike;
  /** Rollup tiers, finest first. Default 1m for 90d and 1h for 730d. `[]` for none. */
  tiers?: readonly TierConfig[];
  /** Samples per sealed chunk. Default 512. */
  chunkSamples?: number;
  /** How often accepted samples are written. Default 5 s; 0 disables the timer (call flush()). */
  flushIntervalMs?: number;
  /** Caps the file size (bytes); writes beyond it fail as on a full disk. */
  maxBytes?: number;
  /** Open without writing; appends stay in memory and the store reports itself degraded. */
  readOnly?: boolean;
  /** Flushes between head-log checkpoints (each rewrites every unsealed head). Default 120. */
  checkpointEveryFlushes?: number;
  /** Sealed chunks kept per series while writes fail. Default 64. */
  maxPendingChunks?: number;
  /** Called with a timer-driven flush's error (explicit flush() calls reject instead). */
  onError?: (err: HeadroomError) => void;
  now?: () => number;
  maxFutureMs?: number;
}

/** What the file holds, for the bench and `headroom status`. */
export interface SqliteDiskUsage {
  readonly fileBytes: number;
  readonly chunkBytes: number;
  readonly chunkSamples: number;
  readonly headBytes: number;
  readonly rollupBytes: number;
}

export interface SqliteHistoryStore extends HistoryStore {
  readonly path: string;
  diskUsage(): SqliteDiskUsage;
}

const WRITE_FAILURES = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|PERM|CORRUPT|NOTADB|BUSY|LOCKED)/;

export function openSqliteHistory(options: SqliteHistoryOptions): SqliteHistoryStore {
  const path = options.path;
  const chunkSamples = options.chunkSamples ?? 512;
  if (!Number.isInteger(chunkSamples) || chunkSamples < 2 || chunkSamples > 65536) {
    throw new HeadroomError(
      ErrorCode.Config,
      `[history:sqlite] chunkSamples must be an integer in 2..65536`,
      {
        data: { key: "chunkSamples", value: chunkSamples },
      },
    );
  }
  const retentionMs = durationMs(options.retention ?? "7d", "retention");
  const tiers = resolveTiers(options.tiers ?? DEFAULT_TIERS);
  const now = options.now ?? Date.now;
  const maxPendingChunks = options.maxPendingChunks ?? 64;
  const guard = new AppendGuard(now, options.maxFutureMs);
  const db = openDatabase(path, options.readOnly === true);
  if (options.maxBytes !== undefined) {
    const pageSize = db.pragma("page_size", { simple: true }) as number;
    db.pragma(`max_page_count = ${Math.max(16, Math.floor(options.maxBytes / pageSize))}`);
  }

  const all: SqlSeries[] = [];
  const byKey = new Map<string, SqlSeries>();
  const byDbId = new Map<number, SqlSeries>();
  let dirty: SqlSeries[] = [];
  let degraded: string | undefined = options.readOnly
    ? `[history:sqlite] ${path} is open read-only; samples stay in memory`
    : undefined;
  let closed = false;

  const existing = loadExisting(db);
  guard.rejected.corruptChunks += existing.corruptHeads;
  let nextDbId = existing.maxId + 1;
  const dirtyAtOpen: SqlSeries[] = [];
  for (const s of existing.series) {
    const key = s.handle.key;
    const handle: SeriesHandle = Object.freeze({ ...s.handle, id: all.length });
    const st = new SqlSeries(handle, chunkSamples, false);
    st.lastT = s.lastT;
    if (s.count >= chunkSamples) {
      // The file was written with a larger chunk size: seal what the head holds.
      st.pendingChunks.push(sealChunk(s.ts, s.vs, s.count, tiers));
    } else {
      st.ts.set(s.ts);
      st.vs.set(s.vs);
      st.count = s.count;
      st.persisted = s.count;
    }
    all.push(st);
    byKey.set(key, st);
    byDbId.set(s.dbId, st);
    if (st.pendingChunks.length > 0) dirtyAtOpen.push(st);
  }
  const dbIdOf = new Map<SqlSeries, number>();
  for (const [id, st] of byDbId) dbIdOf.set(st, id);

  const stmts = options.readOnly
    ? undefined
    : {
        insertSeries: db.prepare("INSERT INTO series (id, key, name, labels) VALUES (?, ?, ?, ?)"),
        appendLog: db.prepare("INSERT INTO head_log (data) VALUES (?)"),
        cutLog: db.prepare("DELETE FROM head_log WHERE seq < ?"),
        clearLegacyHead: db.prepare("DELETE FROM head"),
        insertChunk: db.prepare(
          "INSERT INTO chunks (series_id, start_t, end_t, count, data, ts_id) VALUES (?, ?, ?, ?, ?, ?)",
        ),
        timestamps: new TimestampColumns(db),
        upsertRollup: db.prepare(
          `INSERT INTO rollup (tier, series_id, t, count, sum, min, max, last) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (tier, series_id, t) DO UPDATE SET count = count + excluded.count, sum = sum + excluded.sum,
             min = min(min, excluded.min), max = max(max, excluded.max), last = excluded.last`,
        ),
      };

  for (const s of dirtyAtOpen) markDirty(s);

  function markDirty(s: SqlSeries): void {
    if (!s.dirty) {
      s.dirty = true;
      dirty.push(s);
    }
  }

  function seal(s: SqlSeries): void {
    s.pendingChunks.push(sealChunk(s.ts, s.vs, s.count, tiers));
    if (s.pendingChunks.length > maxPendingChunks) {
      // A writer far ahead of the flush timer writes now; only a failing disk drops the oldest.
      if (degraded === undefined) persistQuietly();
      if (s.pendingChunks.length > maxPendingChunks) s.pendingChunks.shift();
    }
    s.count = 0;
    s.persisted = 0;
    markDirty(s);
  }

  /** Log rows since the last checkpoint; a checkpoint rewrites all heads once this many accumulate. */
  let logRows = 0;
  const checkpointEvery = options.checkpointEveryFlushes ?? 120;
  let legacyHead = (db.prepare("SELECT count(*) AS c FROM head").get() as { c: number }).c > 0;

  const persistTx = db.transaction((batch: SqlSeries[], checkpoint: boolean) => {
    const records: LogRecord[] = [];
    if (!stmts)
      throw Object.assign(new Error("attempt to write a readonly database"), { code: "SQLITE_READONLY" });
    for (const s of batch) {
      const id = dbIdOf.get(s)!;
      if (s.isNew) stmts.insertSeries.run(id, s.handle.key, s.handle.name, JSON.stringify(s.handle.labels));
      for (const c of s.pendingChunks) {
        stmts.insertChunk.run(id, c.start, c.end, c.count, c.data, stmts.timestamps.idOf(c));
        for (let k = 0; k < c.rollups.length; k++) {
          for (const p of c.rollups[k])
            stmts.upsertRollup.run(k, id, p.t, p.count, p.sum, p.min, p.max, p.last);
        }
      }
      if (s.count > s.persisted && !checkpoint) {
        records.push({
          seriesId: id,
          ts: s.ts.subarray(s.persisted, s.count),
          vs: s.vs.subarray(s.persisted, s.count),
        });
      }
    }
    if (checkpoint) {
      // Every head in full, then everything before it goes.
      for (const s of all) {
        if (s.count > 0)
          records.push({
            seriesId: dbIdOf.get(s)!,
            ts: s.ts.subarray(0, s.count),
            vs: s.vs.subarray(0, s.count),
          });
      }
      const seq = Number(stmts.appendLog.run(encodeLog(records)).lastInsertRowid);
      stmts.cutLog.run(seq);
      if (legacyHead) stmts.clearLegacyHead.run();
    } else if (records.length > 0) {
      stmts.appendLog.run(encodeLog(records));
    }
  });

  /** Writes everything pending in one transaction; throws HR_STORAGE (and degrades) on failure. */
  function persist(forceCheckpoint = false): void {
    if (closed || (dirty.length === 0 && !forceCheckpoint)) return;
    const batch = dirty;
    const checkpoint = forceCheckpoint || legacyHead || logRows + 1 >= checkpointEvery;
    stmts?.timestamps.begin();
    try {
      persistTx(batch, checkpoint);
      logRows = checkpoint ? 1 : logRows + 1;
      legacyHead = false;
      stmts?.timestamps.commit();
    } catch (cause) {
      const code = (cause as { code?: string }).code ?? "";
      const msg = `[history:sqlite] cannot write ${path}: ${code || (cause as Error).message}${WRITE_FAILURES.test(code) ? "" : ` (${(cause as Error).message})`}; keeping samples in memory`;
      degraded = msg;
      throw new HeadroomError(ErrorCode.Storage, msg, { data: { path, sqliteCode: code }, cause });
    }
    for (const s of batch) {
      s.isNew = false;
      s.pendingChunks = [];
      s.persisted = s.count;
      s.dirty = false;
    }
    dirty = [];
    if (!options.readOnly) degraded = undefined;
  }

  /** Persists before a read when possible, so reads see one consistent place; a failure keeps memory data visible. */
  function persistQuietly(): void {
    try {
      persist();
    } catch {
      // degraded: queries also read the in-memory chunks and head
    }
  }

  const reader = createChunkReader(db, () => {
    guard.rejected.corruptChunks++;
  });
  const queries = createSqliteQueries(
    reader,
    db,
    tiers,
    (sel) => byKey.get(seriesKey(sel.name, sel.labels)),
    (s) => dbIdOf.get(s) ?? -1,
    now,
    retentionMs,
  );

  const store: SqliteHistoryStore = {
    path,
    series(name: string, labels: Labels = {}): SeriesHandle {
      const key = seriesKey(name, labels);
      const found = byKey.get(key);
      if (found) return found.handle;
      validateSeries(name, labels);
      const handle: SeriesHandle = Object.freeze({ id: all.length, key, name, labels: sortedLabels(labels) });
      const s = new SqlSeries(handle, chunkSamples, true);
      all.push(s);
      byKey.set(key, s);
      dbIdOf.set(s, nextDbId++);
      markDirty(s);
      return handle;
    },

    append(series: SeriesHandle, timestampMs: number, value: number): boolean {
      const s = all[series.id];
      if (s === undefined || s.handle !== series) {
        guard.rejected.invalidSeries++;
        return false;
      }
      timestampMs = Math.trunc(timestampMs);
      if (!guard.check(s.lastT, timestampMs, value)) return false;
      s.ts[s.count] = timestampMs;
      s.vs[s.count] = value;
      s.count++;
      s.lastT = timestampMs;
      if (s.count === s.ts.length) seal(s);
      else markDirty(s);
      return true;
    },

    appendSnapshot(snapshot: MetricsSnapshot) {
      return appender.append(snapshot);
    },

    async queryRange(sel, range) {
      persistQuietly();
      return queries.range(sel, range);
    },
    async queryStep(sel, range) {
      persistQuietly();
      return queries.step(sel, range);
    },
    async queryDownsampled(sel, range) {
      persistQuietly();
      return queries.downsampled(sel, range);
    },
    async rate(sel, range) {
      persistQuietly();
      return queries.rate(sel, range);
    },
    async latest(sel) {
      persistQuietly();
      return queries.latest(sel);
    },

    async listSeries(filter: { name?: string; labels?: Labels } = {}): Promise<SeriesInfo[]> {
      const out: SeriesInfo[] = [];
      for (const s of all) {
        const h = s.handle;
        if (filter.name !== undefined && h.name !== filter.name) continue;
        if (!labelsInclude(h.labels, filter.labels)) continue;
        out.push({ key: h.key, name: h.name, labels: h.labels });
      }
      return out;
    },

    async applyRetention(nowMs: number = now()) {
      persist();
      stmts?.timestamps.clear();
      const result = applySqliteRetention(db, reader, all, nowMs - retentionMs, tiers, nowMs);
      if (result.removedSamples > 0) persist(true);
      return result;
    },

    async flush() {
      persist();
    },

    stats() {
      return { series: all.length, accepted: guard.accepted, rejected: { ...guard.rejected }, degraded };
    },

    diskUsage(): SqliteDiskUsage {
      const pages = (table: string): number => {
        const row = db.prepare("SELECT sum(pgsize) AS b FROM dbstat WHERE name = ?").get(table) as {
          b: number | null;
        };
        return row.b ?? 0;
      };
      const c = db.prepare("SELECT coalesce(sum(count), 0) AS n FROM chunks").get() as { n: number };
      const pageCount = db.pragma("page_count", { simple: true }) as number;
      const pageSize = db.pragma("page_size", { simple: true }) as number;
      return {
        fileBytes: pageCount * pageSize,
        chunkBytes:
          pages("chunks") + pages("chunks_series_start") + pages("timestamps") + pages("timestamps_hash"),
        chunkSamples: c.n,
        headBytes: pages("head") + pages("head_log"),
        rollupBytes: pages("rollup"),
      };
    },

    async close() {
      if (closed) return;
      clearInterval(timer);
      try {
        persist();
        if (!options.readOnly) db.pragma("wal_checkpoint(TRUNCATE)");
      } finally {
        closed = true;
        db.close();
      }
    },
  };

  const appender = new SnapshotAppender({
    series: store.series,
    append: store.append,
    invalidSeries: () => {
      guard.rejected.invalidSeries++;
    },
  });

  const interval = options.flushIntervalMs ?? 5000;
  const timer: ReturnType<typeof setInterval> | undefined =
    interval > 0
      ? setInterval(() => {
          try {
            persist();
          } catch (err) {
            options.onError?.(err as HeadroomError);
          }
        }, interval)
      : undefined;
  timer?.unref?.();
  return store;
}
