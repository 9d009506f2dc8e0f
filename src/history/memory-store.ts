/**
 * The in-memory HistoryStore: one fixed-size ring per series (oldest samples overwritten), for
 * library use, tests, and as the agent's fallback when the database cannot be written. Pure:
 * no `node:` import, so it runs in a browser or worker too.
 */
import type { Labels, MetricsSnapshot } from "../metrics/snapshot.js";
import { counterRate, downsampleMinMax, stepAggregate } from "./aggregate.js";
import { AppendGuard } from "./append-guard.js";
import type {
  AppendResult,
  DownsampleRange,
  HistoryStats,
  HistoryStore,
  RetentionResult,
  Sample,
  SeriesHandle,
  SeriesInfo,
  SeriesSelector,
  StepPoint,
  StepRange,
  TimeRange,
} from "./history-store.js";
import { checkMaxPoints, checkRange, checkStep } from "./range.js";
import { labelsInclude, seriesKey, sortedLabels, validateSeries } from "./series.js";
import { SnapshotAppender } from "./snapshot-samples.js";

export interface MemoryHistoryOptions {
  /** Ring size per series; the oldest sample is overwritten beyond it. Default 8640 (a day at 10 s). */
  maxSamplesPerSeries?: number;
  /** Raw retention applied by `applyRetention` (ms). Default: unlimited (the ring bounds memory). */
  retentionMs?: number;
  /** Clock for the far-future check and retention. Default Date.now. */
  now?: () => number;
  /** Samples further ahead of the clock are rejected. Default 10 minutes. */
  maxFutureMs?: number;
}

class Ring {
  readonly handle: SeriesHandle;
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  /** Index of the oldest sample. */
  head = 0;
  size = 0;
  lastT = Number.NEGATIVE_INFINITY;

  constructor(handle: SeriesHandle, capacity: number) {
    this.handle = handle;
    this.ts = new Float64Array(capacity);
    this.vs = new Float64Array(capacity);
  }

  push(t: number, v: number): void {
    const cap = this.ts.length;
    const at = (this.head + this.size) % cap;
    this.ts[at] = t;
    this.vs[at] = v;
    if (this.size < cap) this.size++;
    else this.head = (this.head + 1) % cap;
    this.lastT = t;
  }

  /** Copies the samples within [start, end] into fresh arrays. */
  slice(start: number, end: number): { ts: Float64Array; vs: Float64Array; n: number } {
    const cap = this.ts.length;
    const ts = new Float64Array(this.size);
    const vs = new Float64Array(this.size);
    let n = 0;
    for (let i = 0; i < this.size; i++) {
      const at = (this.head + i) % cap;
      const t = this.ts[at];
      if (t < start) continue;
      if (t > end) break;
      ts[n] = t;
      vs[n] = this.vs[at];
      n++;
    }
    return { ts, vs, n };
  }

  dropBefore(cutoff: number): number {
    let dropped = 0;
    while (this.size > 0 && this.ts[this.head] < cutoff) {
      this.head = (this.head + 1) % this.ts.length;
      this.size--;
      dropped++;
    }
    return dropped;
  }
}

export function createMemoryHistory(options: MemoryHistoryOptions = {}): HistoryStore {
  const capacity = options.maxSamplesPerSeries ?? 8640;
  const now = options.now ?? Date.now;
  const guard = new AppendGuard(now, options.maxFutureMs);
  const rings: Ring[] = [];
  const byKey = new Map<string, Ring>();

  function find(sel: SeriesSelector): Ring | undefined {
    return byKey.get(seriesKey(sel.name, sel.labels));
  }

  const store: HistoryStore = {
    series(name: string, labels: Labels = {}): SeriesHandle {
      const key = seriesKey(name, labels);
      const existing = byKey.get(key);
      if (existing) return existing.handle;
      validateSeries(name, labels);
      const handle: SeriesHandle = Object.freeze({
        id: rings.length,
        key,
        name,
        labels: sortedLabels(labels),
      });
      const ring = new Ring(handle, capacity);
      rings.push(ring);
      byKey.set(key, ring);
      return handle;
    },

    append(series: SeriesHandle, timestampMs: number, value: number): boolean {
      const ring = rings[series.id];
      if (ring === undefined || ring.handle !== series) {
        guard.rejected.invalidSeries++;
        return false;
      }
      timestampMs = Math.trunc(timestampMs);
      if (!guard.check(ring.lastT, timestampMs, value)) return false;
      ring.push(timestampMs, value);
      return true;
    },

    appendSnapshot(snapshot: MetricsSnapshot): AppendResult {
      return appender.append(snapshot);
    },

    async queryRange(sel: SeriesSelector, range: TimeRange): Promise<Sample[]> {
      checkRange(range);
      const ring = find(sel);
      if (!ring) return [];
      const { ts, vs, n } = ring.slice(range.startMs, range.endMs);
      const out: Sample[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = { t: ts[i], v: vs[i] };
      return out;
    },

    async queryStep(sel: SeriesSelector, range: StepRange): Promise<StepPoint[]> {
      checkStep(range);
      const ring = find(sel);
      if (!ring) return [];
      const { ts, vs, n } = ring.slice(range.startMs, range.endMs);
      return stepAggregate(ts, vs, n, range.stepMs);
    },

    async queryDownsampled(sel: SeriesSelector, range: DownsampleRange): Promise<Sample[]> {
      checkMaxPoints(range);
      const ring = find(sel);
      if (!ring) return [];
      const { ts, vs, n } = ring.slice(range.startMs, range.endMs);
      return downsampleMinMax(ts, vs, n, range.startMs, range.endMs, range.maxPoints);
    },

    async rate(sel: SeriesSelector, range: TimeRange): Promise<number | undefined> {
      checkRange(range);
      const ring = find(sel);
      if (!ring) return undefined;
      const { ts, vs, n } = ring.slice(range.startMs, range.endMs);
      return counterRate(ts, vs, n);
    },

    async latest(sel: SeriesSelector): Promise<Sample | undefined> {
      const ring = find(sel);
      if (!ring || ring.size === 0) return undefined;
      const at = (ring.head + ring.size - 1) % ring.ts.length;
      return { t: ring.ts[at], v: ring.vs[at] };
    },

    async listSeries(filter: { name?: string; labels?: Labels } = {}): Promise<SeriesInfo[]> {
      const out: SeriesInfo[] = [];
      for (const r of rings) {
        const h = r.handle;
        if (filter.name !== undefined && h.name !== filter.name) continue;
        if (!labelsInclude(h.labels, filter.labels)) continue;
        out.push({ key: h.key, name: h.name, labels: h.labels });
      }
      return out;
    },

    async applyRetention(nowMs: number = now()): Promise<RetentionResult> {
      if (options.retentionMs === undefined) return { removedSamples: 0 };
      const cutoff = nowMs - options.retentionMs;
      let removedSamples = 0;
      for (const r of rings) removedSamples += r.dropBefore(cutoff);
      return { removedSamples };
    },

    async flush(): Promise<void> {},

    stats(): HistoryStats {
      return { series: rings.length, accepted: guard.accepted, rejected: { ...guard.rejected } };
    },

    async close(): Promise<void> {},
  };

  const appender = new SnapshotAppender({
    series: store.series,
    append: store.append,
    invalidSeries: () => {
      guard.rejected.invalidSeries++;
    },
  });
  return store;
}
