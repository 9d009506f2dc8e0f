/**
 * Flattens a registry snapshot into history series: counters, gauges, info and state sets one
 * series each; histograms `_bucket{le}` (cumulative, +Inf last), `_sum` and `_count`;
 * summaries `{quantile}`, `_sum`, `_count`. The resolved handles are cached per frozen labels
 * object (snapshots share them between ticks), so a steady-state tick builds no keys.
 */
import type { Labels, MetricsSnapshot } from "../metrics/snapshot.js";
import type { AppendResult, SeriesHandle } from "./history-store.js";

export interface SnapshotSink {
  series(name: string, labels?: Labels): SeriesHandle;
  append(series: SeriesHandle, timestampMs: number, value: number): boolean;
  /** Counts a series that could not be resolved. */
  invalidSeries(): void;
}

function formatLe(bound: number): string {
  return bound === Number.POSITIVE_INFINITY ? "+Inf" : String(bound);
}

export class SnapshotAppender {
  readonly #sink: SnapshotSink;
  readonly #cache = new Map<string, WeakMap<Labels, (SeriesHandle | null)[]>>();

  constructor(sink: SnapshotSink) {
    this.#sink = sink;
  }

  #resolve(family: string, labels: Labels, build: () => [string, Labels][]): (SeriesHandle | null)[] {
    let byLabels = this.#cache.get(family);
    if (!byLabels) {
      byLabels = new WeakMap();
      this.#cache.set(family, byLabels);
    }
    let handles = byLabels.get(labels);
    if (!handles) {
      handles = build().map(([name, l]) => {
        try {
          return this.#sink.series(name, l);
        } catch {
          return null;
        }
      });
      byLabels.set(labels, handles);
    }
    return handles;
  }

  append(snapshot: MetricsSnapshot): AppendResult {
    const t = snapshot.timestampMs;
    const result: AppendResult = { accepted: 0, rejected: 0 };
    const put = (h: SeriesHandle | null, v: number) => {
      if (h === null) {
        this.#sink.invalidSeries();
        result.rejected++;
      } else if (this.#sink.append(h, t, v)) result.accepted++;
      else result.rejected++;
    };
    for (const f of snapshot.families) {
      if (f.type === "histogram") {
        for (const s of f.series) {
          const hs = this.#resolve(f.name, s.labels, () => [
            ...[...f.buckets, Number.POSITIVE_INFINITY].map((b): [string, Labels] => [
              `${f.name}_bucket`,
              { ...s.labels, le: formatLe(b) },
            ]),
            [`${f.name}_sum`, s.labels],
            [`${f.name}_count`, s.labels],
          ]);
          for (let i = 0; i < s.counts.length; i++) put(hs[i], s.counts[i]);
          put(hs[s.counts.length], s.sum);
          put(hs[s.counts.length + 1], s.count);
        }
      } else if (f.type === "summary") {
        for (const s of f.series) {
          const hs = this.#resolve(f.name, s.labels, () => [
            ...s.quantiles.map((q): [string, Labels] => [
              f.name,
              { ...s.labels, quantile: String(q.quantile) },
            ]),
            [`${f.name}_sum`, s.labels],
            [`${f.name}_count`, s.labels],
          ]);
          for (let i = 0; i < s.quantiles.length; i++) put(hs[i], s.quantiles[i].value);
          put(hs[s.quantiles.length], s.sum);
          put(hs[s.quantiles.length + 1], s.count);
        }
      } else {
        for (const s of f.series) {
          const hs = this.#resolve(f.name, s.labels, () => [[f.name, s.labels]]);
          put(hs[0], s.value);
        }
      }
    }
    return result;
  }
}
