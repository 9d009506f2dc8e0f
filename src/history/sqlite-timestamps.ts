/**
 * Shared timestamp columns: chunks sealed from the same ticks store their timestamps once, in
 * the `timestamps` table keyed by CRC, and point at that row. Ids found or inserted during a
 * write transaction join the cache only once it commits, so a rolled-back insert is never
 * reused.
 */
import type { Database, Statement } from "better-sqlite3";
import type { PendingChunk } from "./sqlite-series.js";

interface StoredColumn {
  id: number;
  data: Uint8Array;
}

/** Cached columns beyond which the cache starts over (each holds one chunk's timestamps). */
const MAX_CACHED = 50_000;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class TimestampColumns {
  readonly #find: Statement;
  readonly #insert: Statement;
  #cache = new Map<number, StoredColumn[]>();
  #learned: [number, StoredColumn][] = [];

  constructor(db: Database) {
    this.#find = db.prepare("SELECT id, data FROM timestamps WHERE hash = ?");
    this.#insert = db.prepare("INSERT INTO timestamps (hash, data) VALUES (?, ?)");
  }

  /** Starts a write transaction. */
  begin(): void {
    this.#learned = [];
  }

  /** The row holding this chunk's timestamps, inserted when none matches. Inside a transaction. */
  idOf(c: PendingChunk): number {
    const hit =
      this.#cache.get(c.tsHash)?.find((k) => sameBytes(k.data, c.ts)) ??
      this.#learned.find(([h, k]) => h === c.tsHash && sameBytes(k.data, c.ts))?.[1];
    if (hit) return hit.id;
    for (const row of this.#find.all(c.tsHash) as StoredColumn[]) {
      if (sameBytes(row.data, c.ts)) {
        this.#learned.push([c.tsHash, row]);
        return row.id;
      }
    }
    const id = Number(this.#insert.run(c.tsHash, c.ts).lastInsertRowid);
    this.#learned.push([c.tsHash, { id, data: c.ts }]);
    return id;
  }

  /** The transaction committed: what it found or inserted is cached. */
  commit(): void {
    if (this.#cache.size > MAX_CACHED) this.#cache = new Map();
    for (const [h, entry] of this.#learned) {
      const list = this.#cache.get(h);
      if (list) list.push(entry);
      else this.#cache.set(h, [entry]);
    }
  }

  /** Forgets every cached id (retention may have deleted their rows). */
  clear(): void {
    this.#cache = new Map();
  }
}
