/**
 * Per-series write state of the SQLite store: the unsealed head (typed arrays the size of one
 * chunk), chunks sealed but not yet written, and one running aggregate per rollup tier. The
 * store persists all of it in one transaction per flush.
 */
import { crc32, encodeTimestamps, encodeValues } from "./chunk-codec.js";
import type { SeriesHandle } from "./history-store.js";
import type { ResolvedTier } from "./retention.js";

export interface PendingChunk {
  readonly start: number;
  readonly end: number;
  readonly count: number;
  /** The value column (`encodeValues`). */
  readonly data: Uint8Array;
  /** The timestamp column (`encodeTimestamps`), stored once per distinct column. */
  readonly ts: Uint8Array;
  readonly tsHash: number;
}

/** Seals `n` head samples into the two columns of a chunk. */
export function sealChunk(ts: Float64Array, vs: Float64Array, n: number): PendingChunk {
  const tsBlob = encodeTimestamps(ts, n);
  return {
    start: ts[0],
    end: ts[n - 1],
    count: n,
    data: encodeValues(vs, n),
    ts: tsBlob,
    tsHash: crc32(tsBlob),
  };
}

/** A finished (or flushed part of a) rollup bucket: [tier index, series id, t, count, sum, min, max, last]. */
export type RollupRow = [number, number, number, number, number, number, number, number];

export class TierAccumulator {
  t = -1;
  count = 0;
  sum = 0;
  min = 0;
  max = 0;
  last = 0;

  add(v: number): void {
    if (this.count === 0) {
      this.min = v;
      this.max = v;
    } else {
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
    }
    this.count++;
    this.sum += v;
    this.last = v;
  }

  /** The delta since the last take, as a row to merge into the table; resets the delta. */
  take(tier: number, seriesId: number): RollupRow {
    const row: RollupRow = [tier, seriesId, this.t, this.count, this.sum, this.min, this.max, this.last];
    this.count = 0;
    this.sum = 0;
    return row;
  }
}

export class SqlSeries {
  readonly handle: SeriesHandle;
  /** Whether the series row itself still has to be written. */
  isNew: boolean;
  lastT = Number.NEGATIVE_INFINITY;
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  /** Samples in the head buffer. */
  count = 0;
  /** Head samples already written to the head table. */
  persisted = 0;
  pendingChunks: PendingChunk[] = [];
  readonly tiers: TierAccumulator[];
  dirty = false;

  constructor(handle: SeriesHandle, chunkSamples: number, tiers: readonly ResolvedTier[], isNew: boolean) {
    this.handle = handle;
    this.isNew = isNew;
    this.ts = new Float64Array(chunkSamples);
    this.vs = new Float64Array(chunkSamples);
    this.tiers = tiers.map(() => new TierAccumulator());
  }
}
