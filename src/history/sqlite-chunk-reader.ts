/**
 * Decodes stored chunks of either layout: a version-1 chunk (one blob with both columns) or a
 * version-2 chunk (a value blob plus a shared timestamp column, cached by id because many
 * series point at the same one). A damaged blob is reported through `onCorrupt` and skipped.
 */
import { type DecodedChunk, decodeChunk, decodeTimestamps, decodeValues } from "./chunk-codec.js";
import type { Db } from "./sqlite-schema.js";
import type { PendingChunk } from "./sqlite-series.js";

export interface StoredChunkRow {
  readonly data: Uint8Array;
  readonly ts_id: number | null;
}

export interface ChunkReader {
  /** Decodes a stored row; undefined (and counted) when damaged. */
  row(r: StoredChunkRow): DecodedChunk | undefined;
  pending(c: PendingChunk): DecodedChunk | undefined;
  /** Forgets cached timestamp columns (after retention deleted some). */
  reset(): void;
}

const CACHE_LIMIT = 1024;

export function createChunkReader(db: Db, onCorrupt: () => void): ChunkReader {
  const selTs = db.prepare("SELECT data FROM timestamps WHERE id = ?");
  const cache = new Map<number, Float64Array>();

  function timestamps(id: number): Float64Array {
    const hit = cache.get(id);
    if (hit) {
      cache.delete(id);
      cache.set(id, hit);
      return hit;
    }
    const row = selTs.get(id) as { data: Uint8Array } | undefined;
    if (!row) throw new Error(`timestamp column ${id} is missing`);
    const ts = decodeTimestamps(row.data);
    cache.set(id, ts);
    if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as number);
    return ts;
  }

  function pair(ts: Float64Array, vs: Float64Array): DecodedChunk {
    if (ts.length !== vs.length) throw new Error("column lengths differ");
    return { ts, vs };
  }

  return {
    row(r) {
      try {
        return r.ts_id === null ? decodeChunk(r.data) : pair(timestamps(r.ts_id), decodeValues(r.data));
      } catch {
        onCorrupt();
        return undefined;
      }
    },
    pending(c) {
      try {
        return pair(decodeTimestamps(c.ts), decodeValues(c.data));
      } catch {
        onCorrupt();
        return undefined;
      }
    },
    reset() {
      cache.clear();
    },
  };
}
