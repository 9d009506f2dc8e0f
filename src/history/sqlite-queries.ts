/**
 * Reads for the SQLite store: raw samples come from sealed chunks in the file, chunks sealed
 * but not yet written, and the in-memory head; step and chart queries are answered from the
 * coarsest rollup tier that fits. A chunk that fails to decode is counted and skipped, never
 * deleted.
 */

import {
  counterRate,
  downsampleMinMax,
  downsampleStepPoints,
  mergeStepPoints,
  stepAggregate,
} from "./aggregate.js";
import type {
  DownsampleRange,
  Sample,
  SeriesSelector,
  StepPoint,
  StepRange,
  TimeRange,
} from "./history-store.js";
import { checkMaxPoints, checkRange, checkStep } from "./range.js";
import type { ResolvedTier } from "./retention.js";
import type { ChunkReader, StoredChunkRow } from "./sqlite-chunk-reader.js";
import type { Db } from "./sqlite-schema.js";
import type { SqlSeries } from "./sqlite-series.js";

/** A tier answers a chart query when a chart bucket spans at least this many tier buckets. */
const TIER_BUCKETS_PER_POINT = 10;

interface Raw {
  ts: Float64Array;
  vs: Float64Array;
  n: number;
}

export function createSqliteQueries(
  reader: ChunkReader,
  db: Db,
  tiers: readonly ResolvedTier[],
  find: (sel: SeriesSelector) => SqlSeries | undefined,
  dbId: (s: SqlSeries) => number,
  now: () => number,
  rawRetentionMs: number,
) {
  const covers = (k: number, start: number) => start >= now() - tiers[k].retentionMs;
  const rawCovers = (start: number) => start >= now() - rawRetentionMs;
  const selChunks = db.prepare(
    "SELECT data, ts_id FROM chunks WHERE series_id = ? AND end_t >= ? AND start_t <= ? ORDER BY start_t",
  );
  const selLastChunk = db.prepare(
    "SELECT data FROM chunks WHERE series_id = ? ORDER BY start_t DESC LIMIT 1",
  );
  const selRollup = db.prepare(
    "SELECT t, count, sum, min, max, last FROM rollup WHERE tier = ? AND series_id = ? AND t >= ? AND t <= ? ORDER BY t",
  );

  function raw(s: SqlSeries, start: number, end: number): Raw {
    const parts: { ts: Float64Array; vs: Float64Array }[] = [];
    for (const row of selChunks.all(dbId(s), start, end) as StoredChunkRow[]) {
      const c = reader.row(row);
      if (c) parts.push(c);
    }
    for (const p of s.pendingChunks) {
      if (p.end < start || p.start > end) continue;
      const c = reader.pending(p);
      if (c) parts.push(c);
    }
    parts.push({ ts: s.ts.subarray(0, s.count), vs: s.vs.subarray(0, s.count) });
    let total = 0;
    for (const p of parts) total += p.ts.length;
    const ts = new Float64Array(total);
    const vs = new Float64Array(total);
    let n = 0;
    for (const p of parts) {
      for (let i = 0; i < p.ts.length; i++) {
        const t = p.ts[i];
        if (t < start || t > end) continue;
        ts[n] = t;
        vs[n] = p.vs[i];
        n++;
      }
    }
    return { ts, vs, n };
  }

  /** Tier buckets: the table (sealed data), then chunks sealed but not written, then the live head. */
  function tierPoints(s: SqlSeries, k: number, start: number, end: number): StepPoint[] {
    const res = tiers[k].resolutionMs;
    const from = Math.floor(start / res) * res;
    const parts: StepPoint[][] = [selRollup.all(k, dbId(s), from, end) as StepPoint[]];
    for (const c of s.pendingChunks) parts.push(c.rollups[k].filter((p) => p.t >= from && p.t <= end));
    let lo = 0;
    while (lo < s.count && s.ts[lo] < from) lo++;
    let hi = lo;
    while (hi < s.count && s.ts[hi] <= end) hi++;
    parts.push(stepAggregate(s.ts.subarray(lo, hi), s.vs.subarray(lo, hi), hi - lo, res));
    const nonEmpty = parts.filter((p) => p.length > 0);
    return nonEmpty.length === 1 ? nonEmpty[0] : mergeStepPoints(nonEmpty.flat(), res);
  }

  return {
    range(sel: SeriesSelector, r: TimeRange): Sample[] {
      checkRange(r);
      const s = find(sel);
      if (!s) return [];
      const { ts, vs, n } = raw(s, r.startMs, r.endMs);
      const out: Sample[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = { t: ts[i], v: vs[i] };
      return out;
    },

    step(sel: SeriesSelector, r: StepRange): StepPoint[] {
      checkStep(r);
      const s = find(sel);
      if (!s) return [];
      // The coarsest tier whose buckets divide the step and that still holds the range; past
      // raw retention, the coarsest dividing tier even if it has lost part of the range.
      const fits = (k: number) => r.stepMs % tiers[k].resolutionMs === 0;
      let pick = -1;
      for (let k = tiers.length - 1; k >= 0 && pick < 0; k--) if (fits(k) && covers(k, r.startMs)) pick = k;
      if (pick < 0 && !rawCovers(r.startMs))
        for (let k = tiers.length - 1; k >= 0 && pick < 0; k--) if (fits(k)) pick = k;
      if (pick >= 0) return mergeStepPoints(tierPoints(s, pick, r.startMs, r.endMs), r.stepMs);
      const { ts, vs, n } = raw(s, r.startMs, r.endMs);
      return stepAggregate(ts, vs, n, r.stepMs);
    },

    downsampled(sel: SeriesSelector, r: DownsampleRange): Sample[] {
      checkMaxPoints(r);
      const s = find(sel);
      if (!s) return [];
      const width = (r.endMs - r.startMs + 1) / Math.floor(r.maxPoints / 2);
      // The finest tier coarse enough for the chart that still holds the range; raw data when no
      // tier is coarse enough and raw still holds the range; else the finest tier holding it.
      let pick = -1;
      for (let k = 0; k < tiers.length && pick < 0; k++) {
        if (width >= tiers[k].resolutionMs * TIER_BUCKETS_PER_POINT && covers(k, r.startMs)) pick = k;
      }
      if (pick < 0 && !rawCovers(r.startMs)) {
        for (let k = 0; k < tiers.length && pick < 0; k++) if (covers(k, r.startMs)) pick = k;
        if (pick < 0) pick = tiers.length - 1;
      }
      if (pick >= 0) {
        return downsampleStepPoints(tierPoints(s, pick, r.startMs, r.endMs), r.startMs, r.endMs, r.maxPoints);
      }
      const { ts, vs, n } = raw(s, r.startMs, r.endMs);
      return downsampleMinMax(ts, vs, n, r.startMs, r.endMs, r.maxPoints);
    },

    rate(sel: SeriesSelector, r: TimeRange): number | undefined {
      checkRange(r);
      const s = find(sel);
      if (!s) return undefined;
      const { ts, vs, n } = raw(s, r.startMs, r.endMs);
      return counterRate(ts, vs, n);
    },

    latest(sel: SeriesSelector): Sample | undefined {
      const s = find(sel);
      if (!s) return undefined;
      if (s.count > 0) return { t: s.ts[s.count - 1], v: s.vs[s.count - 1] };
      const pending = s.pendingChunks.at(-1);
      const row = pending ? undefined : (selLastChunk.get(dbId(s)) as StoredChunkRow | undefined);
      const c = pending ? reader.pending(pending) : row ? reader.row(row) : undefined;
      if (!c) return undefined;
      return { t: c.ts[c.ts.length - 1], v: c.vs[c.vs.length - 1] };
    },
  };
}
