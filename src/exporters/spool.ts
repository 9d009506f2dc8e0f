/**
 * The on-disk side of an exporter queue: an append-only journal, so samples queued while the
 * destination is down survive a restart of the agent. Each queued piece is appended as one
 * JSON line when it is queued (`{"id":7,"samples":120,"snapshot":{...}}`) and an ack line
 * (`{"ack":7}`) is appended when it was sent or dropped. Opening replays the journal; the file
 * is rewritten with only the live pieces when it is opened and whenever acks pile up, and
 * truncated whenever the queue is empty.
 *
 * Appends are synchronous: a push happens once per collection interval, and an entry that is
 * on disk before `push()` returns is one a crash cannot lose.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ErrorCode, HeadroomError } from "../errors.js";
import type { MetricsSnapshot } from "../metrics/snapshot.js";

export interface SpoolEntry {
  readonly id: number;
  readonly samples: number;
  readonly snapshot: MetricsSnapshot;
}

// JSON has no NaN or infinities; they are written as {"$n":"NaN"} so they come back as numbers
// (a plain string would be ambiguous with a label value "NaN").
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return { $n: String(value) };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === "object" && "$n" in value && Object.keys(value).length === 1) {
    return Number((value as { $n: string }).$n);
  }
  return value;
}

export class Spool {
  readonly path: string;
  /**
   * Set when a write to the journal failed (disk full, read-only): the queue goes on in memory
   * (push never throws) and this says why it is no longer durable.
   */
  degraded: string | undefined;
  #acksSinceCompact = 0;

  constructor(dir: string, name: string) {
    const safe = name.replace(/[^A-Za-z0-9_.-]/g, "_");
    try {
      mkdirSync(dir, { recursive: true });
    } catch (cause) {
      throw new HeadroomError(ErrorCode.Io, `[exporter:${name}] cannot create spool directory ${dir}`, {
        data: { dir },
        cause,
      });
    }
    this.path = join(dir, `${safe}.queue.jsonl`);
  }

  /** Live entries left by the previous run, oldest first. A torn last line is ignored. */
  load(): SpoolEntry[] {
    if (!existsSync(this.path)) return [];
    const live = new Map<number, SpoolEntry>();
    for (const line of readFileSync(this.path, "utf8").split("\n")) {
      if (line === "") continue;
      let rec: { id?: number; samples?: number; snapshot?: MetricsSnapshot; ack?: number };
      try {
        rec = JSON.parse(line, reviver);
      } catch {
        continue;
      }
      if (typeof rec.ack === "number") live.delete(rec.ack);
      else if (typeof rec.id === "number" && rec.snapshot && typeof rec.samples === "number") {
        live.set(rec.id, { id: rec.id, samples: rec.samples, snapshot: rec.snapshot });
      }
    }
    const entries = [...live.values()].sort((a, b) => a.id - b.id);
    this.rewrite(entries);
    return entries;
  }

  #write(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.degraded = `spool ${this.path} not writable: ${(err as Error).message}`;
    }
  }

  append(entry: SpoolEntry): void {
    this.#write(() => appendFileSync(this.path, `${JSON.stringify(entry, replacer)}\n`));
  }

  /** Records that these entries left the queue; compacts when `live` is empty or acks pile up. */
  ack(ids: readonly number[], live: () => readonly SpoolEntry[]): void {
    if (ids.length === 0) return;
    const entries = live();
    this.#acksSinceCompact += ids.length;
    if (entries.length === 0 || this.#acksSinceCompact > 1000) {
      this.rewrite(entries);
      return;
    }
    this.#write(() => appendFileSync(this.path, ids.map((id) => `{"ack":${id}}\n`).join("")));
  }

  /** Replaces the journal with exactly `entries` (write to a temp file, then rename). */
  rewrite(entries: readonly SpoolEntry[]): void {
    const tmp = `${this.path}.tmp`;
    this.#write(() => {
      writeFileSync(tmp, entries.map((e) => `${JSON.stringify(e, replacer)}\n`).join(""));
      renameSync(tmp, this.path);
    });
    this.#acksSinceCompact = 0;
  }
}
