/**
 * Per-series write state of the SQLite store: the unsealed head (typed arrays the size of one
 * chunk) and the chunks sealed but not yet written. Rollup-tier buckets are computed when a
 * chunk seals and written in the same transaction as the chunk, so tiers derive only from
 * sealed data and a crash can never leave a tier ahead of or behind the raw samples; the
 * unsealed head is aggregated on the fly at query time.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { stepAggregate } from "./aggregate.js";
import { crc32, encodeTimestamps, encodeValues } from "./chunk-codec.js";
import type { SeriesHandle, StepPoint } from "./history-store.js";
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
  /** This chunk's buckets for each tier, merged into the rollup table when the chunk is written. */
  readonly rollups: readonly StepPoint[][];
}

/** Seals `n` head samples into the two columns of a chunk plus its rollup buckets. */
export function sealChunk(
  ts: Float64Array,
  vs: Float64Array,
  n: number,
  tiers: readonly ResolvedTier[],
): PendingChunk {
  const tsBlob = encodeTimestamps(ts, n);
  return {
    start: ts[0],
    end: ts[n - 1],
    count: n,
    data: encodeValues(vs, n),
    ts: tsBlob,
    tsHash: crc32(tsBlob),
    rollups: tiers.map((t) => stepAggregate(ts, vs, n, t.resolutionMs)),
  };
}

const HEAD_FORMAT = 4;
const LOG_FORMAT = 5;

/** The legacy (schema 1-2) per-series head blob; still read when opening an older file. */
export function isRawHead(blob: Uint8Array): boolean {
  return blob.length >= 12 && blob[0] === HEAD_FORMAT;
}

function corruptHead(what: string, bytes: number): HeadroomError {
  return new HeadroomError(ErrorCode.Storage, `[history:sqlite] corrupt ${what}`, { data: { bytes } });
}

export function decodeHead(blob: Uint8Array): { ts: Float64Array; vs: Float64Array } {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const n = blob.length >= 12 ? view.getUint32(4) : -1;
  if (n < 1 || blob.length !== 8 + n * 16 + 4 || crc32(blob, 8 + n * 16) !== view.getUint32(8 + n * 16)) {
    throw corruptHead("head blob", blob.length);
  }
  // A copy with its own aligned buffer (a Node Buffer's slice() would be a view into a pool).
  const copy = Uint8Array.prototype.slice.call(blob, 8, 8 + n * 16);
  return { ts: new Float64Array(copy.buffer, 0, n), vs: new Float64Array(copy.buffer, n * 8, n) };
}

/** One series' run of samples inside a head-log row. */
export interface LogRecord {
  readonly seriesId: number;
  readonly ts: ArrayLike<number>;
  readonly vs: ArrayLike<number>;
}

/**
 * A head-log row: `[5][records u32]`, then per record `[series id u32][n u32][t f64 x n][v f64 x n]`,
 * then a CRC-32. Raw floats: the log is transient (cut at each checkpoint), so it is cheap to
 * write rather than small.
 */
export function encodeLog(records: readonly LogRecord[]): Uint8Array {
  let bytes = 5 + 4;
  for (const r of records) bytes += 8 + r.ts.length * 16;
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  view.setUint8(0, LOG_FORMAT);
  view.setUint32(1, records.length);
  let o = 5;
  for (const r of records) {
    const n = r.ts.length;
    view.setUint32(o, r.seriesId);
    view.setUint32(o + 4, n);
    o += 8;
    for (let i = 0; i < n; i++) view.setFloat64(o + i * 8, r.ts[i], true);
    o += n * 8;
    for (let i = 0; i < n; i++) view.setFloat64(o + i * 8, r.vs[i], true);
    o += n * 8;
  }
  view.setUint32(o, crc32(out, o));
  return out;
}

export function decodeLog(blob: Uint8Array): LogRecord[] {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const end = blob.length - 4;
  if (blob.length < 9 || blob[0] !== LOG_FORMAT || crc32(blob, end) !== view.getUint32(end)) {
    throw corruptHead("head log row", blob.length);
  }
  const count = view.getUint32(1);
  const out: LogRecord[] = [];
  let o = 5;
  for (let k = 0; k < count; k++) {
    if (o + 8 > end) throw corruptHead("head log row", blob.length);
    const seriesId = view.getUint32(o);
    const n = view.getUint32(o + 4);
    o += 8;
    if (o + n * 16 > end) throw corruptHead("head log row", blob.length);
    const ts = new Float64Array(n);
    const vs = new Float64Array(n);
    for (let i = 0; i < n; i++) ts[i] = view.getFloat64(o + i * 8, true);
    o += n * 8;
    for (let i = 0; i < n; i++) vs[i] = view.getFloat64(o + i * 8, true);
    o += n * 8;
    out.push({ seriesId, ts, vs });
  }
  return out;
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
  dirty = false;

  constructor(handle: SeriesHandle, chunkSamples: number, isNew: boolean) {
    this.handle = handle;
    this.isNew = isNew;
    this.ts = new Float64Array(chunkSamples);
    this.vs = new Float64Array(chunkSamples);
  }
}
