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

/**
 * The head blob written at each flush: raw float64 timestamps then values, with a CRC. The
 * head is transient (deleted when its chunk seals), so it is kept cheap to write, not small.
 */
export function encodeHead(ts: Float64Array, vs: Float64Array, from: number, to: number): Uint8Array {
  const n = to - from;
  const out = new Uint8Array(8 + n * 16 + 4);
  const view = new DataView(out.buffer);
  view.setUint8(0, HEAD_FORMAT);
  view.setUint32(4, n);
  new Float64Array(out.buffer, 8, n).set(ts.subarray(from, to));
  new Float64Array(out.buffer, 8 + n * 8, n).set(vs.subarray(from, to));
  view.setUint32(8 + n * 16, crc32(out, 8 + n * 16));
  return out;
}

/** True when `blob` is a head blob from `encodeHead` (older files hold codec chunks instead). */
export function isRawHead(blob: Uint8Array): boolean {
  return blob.length >= 12 && blob[0] === HEAD_FORMAT;
}

export function decodeHead(blob: Uint8Array): { ts: Float64Array; vs: Float64Array } {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const n = blob.length >= 12 ? view.getUint32(4) : -1;
  if (n < 1 || blob.length !== 8 + n * 16 + 4 || crc32(blob, 8 + n * 16) !== view.getUint32(8 + n * 16)) {
    throw new HeadroomError(ErrorCode.Storage, "[history:sqlite] corrupt head blob", {
      data: { bytes: blob.length },
    });
  }
  // A copy with its own aligned buffer (a Node Buffer's slice() would be a view into a pool).
  const copy = Uint8Array.prototype.slice.call(blob, 8, 8 + n * 16);
  return { ts: new Float64Array(copy.buffer, 0, n), vs: new Float64Array(copy.buffer, n * 8, n) };
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
