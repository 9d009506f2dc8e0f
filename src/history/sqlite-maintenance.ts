/**
 * Opening an existing file (series, unsealed head, last timestamps) and retention for the
 * SQLite store. Retention trims chunks that straddle the cutoff by re-encoding them, so the
 * raw tier keeps exactly what is newer than the cutoff.
 */

import type { Labels } from "../metrics/snapshot.js";
import { decodeChunk, encodeChunk } from "./chunk-codec.js";
import type { RetentionResult, SeriesHandle } from "./history-store.js";
import type { ResolvedTier } from "./retention.js";
import type { ChunkReader } from "./sqlite-chunk-reader.js";
import type { Db } from "./sqlite-schema.js";
import { decodeHead, decodeLog, isRawHead, type SqlSeries } from "./sqlite-series.js";

export interface LoadedSeries {
  readonly dbId: number;
  readonly handle: SeriesHandle;
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly count: number;
  readonly lastT: number;
}

export function loadExisting(db: Db): { maxId: number; series: LoadedSeries[]; corruptHeads: number } {
  const rows = db.prepare("SELECT id, key, name, labels FROM series ORDER BY id").all() as {
    id: number;
    key: string;
    name: string;
    labels: string;
  }[];
  const lastChunk = new Map<number, number>();
  for (const r of db
    .prepare("SELECT series_id AS id, max(end_t) AS last FROM chunks GROUP BY series_id")
    .all() as {
    id: number;
    last: number;
  }[]) {
    lastChunk.set(r.id, r.last);
  }
  const heads = new Map<number, { ts: number[]; vs: number[] }>();
  let corruptHeads = 0;
  // Samples already sealed into chunks may still sit in the log (it is cut only at checkpoints): skip them.
  const add = (id: number, ts: ArrayLike<number>, vs: ArrayLike<number>) => {
    let h = heads.get(id);
    if (!h) {
      h = { ts: [], vs: [] };
      heads.set(id, h);
    }
    let last = h.ts.length > 0 ? h.ts[h.ts.length - 1] : (lastChunk.get(id) ?? Number.NEGATIVE_INFINITY);
    for (let i = 0; i < ts.length; i++) {
      if (ts[i] <= last) continue;
      h.ts.push(ts[i]);
      h.vs.push(vs[i]);
      last = ts[i];
    }
  };
  // Schema 1-2 files kept one head table row per series and flush.
  for (const r of db.prepare("SELECT series_id AS id, data FROM head ORDER BY series_id, start_t").all() as {
    id: number;
    data: Uint8Array;
  }[]) {
    try {
      const c = isRawHead(r.data) ? decodeHead(r.data) : decodeChunk(r.data);
      add(r.id, c.ts, c.vs);
    } catch {
      corruptHeads++;
    }
  }
  for (const r of db.prepare("SELECT data FROM head_log ORDER BY seq").all() as { data: Uint8Array }[]) {
    try {
      for (const rec of decodeLog(r.data)) add(rec.seriesId, rec.ts, rec.vs);
    } catch {
      corruptHeads++;
    }
  }
  let maxId = 0;
  const series: LoadedSeries[] = rows.map((r) => {
    maxId = Math.max(maxId, r.id);
    const h = heads.get(r.id) ?? { ts: [], vs: [] };
    const labels = Object.freeze(JSON.parse(r.labels) as Labels);
    const headLast = h.ts.length > 0 ? h.ts[h.ts.length - 1] : Number.NEGATIVE_INFINITY;
    return {
      dbId: r.id,
      handle: { id: -1, key: r.key, name: r.name, labels },
      ts: Float64Array.from(h.ts),
      vs: Float64Array.from(h.vs),
      count: h.ts.length,
      lastT: Math.max(headLast, lastChunk.get(r.id) ?? Number.NEGATIVE_INFINITY),
    };
  });
  return { maxId, series, corruptHeads };
}

export function applySqliteRetention(
  db: Db,
  reader: ChunkReader,
  all: readonly SqlSeries[],
  cutoff: number,
  tiers: readonly ResolvedTier[],
  nowMs: number,
): RetentionResult {
  let removedSamples = 0;
  const old = db.prepare("SELECT id, start_t, end_t, count, data, ts_id FROM chunks WHERE start_t < ?");
  const del = db.prepare("DELETE FROM chunks WHERE id = ?");
  // A trimmed chunk is rewritten in the one-blob layout (ts_id NULL): it no longer shares its timestamps.
  const upd = db.prepare("UPDATE chunks SET start_t = ?, count = ?, data = ?, ts_id = NULL WHERE id = ?");
  const orphans = db.prepare(
    "DELETE FROM timestamps WHERE id NOT IN (SELECT ts_id FROM chunks WHERE ts_id IS NOT NULL)",
  );
  const delRollup = db.prepare("DELETE FROM rollup WHERE tier = ? AND t < ?");
  db.transaction(() => {
    for (const r of old.all(cutoff) as {
      id: number;
      start_t: number;
      end_t: number;
      count: number;
      data: Uint8Array;
      ts_id: number | null;
    }[]) {
      if (r.end_t < cutoff) {
        del.run(r.id);
        removedSamples += r.count;
        continue;
      }
      const c = reader.row(r);
      if (!c) continue; // a damaged chunk is left for inspection, never silently dropped
      let from = 0;
      while (from < c.ts.length && c.ts[from] < cutoff) from++;
      const ts = c.ts.subarray(from);
      upd.run(ts[0], ts.length, encodeChunk(ts, c.vs.subarray(from)), r.id);
      removedSamples += from;
    }
    // Heads are trimmed in memory; the caller then checkpoints the head log.
    for (const s of all) {
      if (s.count === 0 || s.ts[0] >= cutoff) continue;
      let from = 0;
      while (from < s.count && s.ts[from] < cutoff) from++;
      s.ts.copyWithin(0, from, s.count);
      s.vs.copyWithin(0, from, s.count);
      s.count -= from;
      s.persisted = Math.max(0, s.persisted - from);
      removedSamples += from;
    }
    orphans.run();
    tiers.forEach((t, k) => {
      delRollup.run(k, nowMs - t.retentionMs);
    });
  })();
  reader.reset();
  return { removedSamples };
}
