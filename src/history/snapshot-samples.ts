/**
 * Flattens a registry snapshot into history series: counters, gauges, info and state sets one
 * series each; histograms `_bucket{le}` (cumulative, +Inf last), `_sum` and `_count`;
 * summaries `{quantile}`, `_sum`, `_count`. The resolved handles are cached per frozen labels
 * object (snapshots share them between ticks), so a steady-state tick builds no keys.
 */
import type {
  HistogramSeries,
  Labels,
  MetricFamily,
  MetricsSnapshot,
  ScalarSeries,
  SummarySeries,
} from "../metrics/snapshot.js";
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

type Handles = (SeriesHandle | null)[];

/** The history series names and labels one snapshot series is stored as, in value order. */
function historySeries(f: MetricFamily, s: MetricFamily["series"][number]): [string, Labels][] {
  if (f.type === "histogram") {
    return [
      ...[...f.buckets, Number.POSITIVE_INFINITY].map((b): [string, Labels] => [
        `${f.name}_bucket`,
        { ...s.labels, le: formatLe(b) },
      ]),
      [`${f.name}_sum`, s.labels],
      [`${f.name}_count`, s.labels],
    ];
  }
  if (f.type === "summary") {
    const quantiles = (s as SummarySeries).quantiles;
    return [
      ...quantiles.map((q): [string, Labels] => [f.name, { ...s.labels, quantile: String(q.quantile) }]),
      [`${f.name}_sum`, s.labels],
      [`${f.name}_count`, s.labels],
    ];
  }
  return [[f.name, s.labels]];
}

export class SnapshotAppender {
  readonly #sink: SnapshotSink;
  readonly #cache = new Map<string, WeakMap<Labels, Handles>>();
  #accepted = 0;
  #rejected = 0;

  constructor(sink: SnapshotSink) {
    this.#sink = sink;
  }

  #resolve(f: MetricFamily, s: MetricFamily["series"][number], byLabels: WeakMap<Labels, Handles>): Handles {
    const handles = historySeries(f, s).map(([name, l]) => {
      try {
        return this.#sink.series(name, l);
      } catch {
        return null;
      }
    });
    byLabels.set(s.labels, handles);
    return handles;
  }

  #put(h: SeriesHandle | null, t: number, v: number): void {
    if (h === null) {
      this.#sink.invalidSeries();
      this.#rejected++;
    } else if (this.#sink.append(h, t, v)) this.#accepted++;
    else this.#rejected++;
  }

  // Runs every tick over every series: no closures or keys are built once the handles are cached.
  append(snapshot: MetricsSnapshot): AppendResult {
    const t = snapshot.timestampMs;
    this.#accepted = 0;
    this.#rejected = 0;
    for (const f of snapshot.families) {
      let byLabels = this.#cache.get(f.name);
      if (!byLabels) {
        byLabels = new WeakMap();
        this.#cache.set(f.name, byLabels);
      }
      for (const s of f.series) {
        const hs = byLabels.get(s.labels) ?? this.#resolve(f, s, byLabels);
        if (f.type === "histogram") {
          const h = s as HistogramSeries;
          for (let i = 0; i < h.counts.length; i++) this.#put(hs[i], t, h.counts[i]);
          this.#put(hs[h.counts.length], t, h.sum);
          this.#put(hs[h.counts.length + 1], t, h.count);
        } else if (f.type === "summary") {
          const q = s as SummarySeries;
          for (let i = 0; i < q.quantiles.length; i++) this.#put(hs[i], t, q.quantiles[i].value);
          this.#put(hs[q.quantiles.length], t, q.sum);
          this.#put(hs[q.quantiles.length + 1], t, q.count);
        } else this.#put(hs[0], t, (s as ScalarSeries).value);
      }
    }
    return { accepted: this.#accepted, rejected: this.#rejected };
  }
}
