/**
 * The plain, serializable view of a registry at one instant. Everything that consumes numbers
 * (encoders, history, alerts, exporters, the server) reads this and nothing else.
 *
 * A snapshot is immutable once returned. `labels` objects are frozen and shared between
 * snapshots of the same series, so encoders may cache per-series formatting keyed on them.
 */
export const MetricType = {
  Counter: "counter",
  Gauge: "gauge",
  Histogram: "histogram",
  Summary: "summary",
  Info: "info",
  StateSet: "stateset",
} as const;

export type MetricType = (typeof MetricType)[keyof typeof MetricType];

export type Labels = Readonly<Record<string, string>>;

export interface ScalarSeries {
  readonly labels: Labels;
  readonly value: number;
  /** When the series was created (ms since epoch); OpenMetrics `_created` for counters. */
  readonly createdMs?: number;
}

export interface HistogramSeries {
  readonly labels: Labels;
  /** Cumulative counts, one per family `buckets` bound, then one for +Inf (equals `count`). */
  readonly counts: readonly number[];
  readonly sum: number;
  readonly count: number;
  readonly createdMs?: number;
}

export interface SummarySeries {
  readonly labels: Labels;
  readonly quantiles: readonly { readonly quantile: number; readonly value: number }[];
  readonly sum: number;
  readonly count: number;
  readonly createdMs?: number;
}

interface FamilyBase {
  /** Full name, namespace included (`headroom_monitor_duration_seconds`). */
  readonly name: string;
  readonly help: string;
  /** OpenMetrics unit (`seconds`, `bytes`), or "" when none. */
  readonly unit: string;
  readonly labelNames: readonly string[];
}

export interface ScalarFamily extends FamilyBase {
  readonly type: "counter" | "gauge" | "info" | "stateset";
  readonly series: readonly ScalarSeries[];
}

export interface HistogramFamily extends FamilyBase {
  readonly type: "histogram";
  /** Finite upper bounds, strictly increasing; +Inf is implied. */
  readonly buckets: readonly number[];
  readonly series: readonly HistogramSeries[];
}

export interface SummaryFamily extends FamilyBase {
  readonly type: "summary";
  readonly series: readonly SummarySeries[];
}

export type MetricFamily = ScalarFamily | HistogramFamily | SummaryFamily;

export interface MetricsSnapshot {
  /** When the snapshot was taken (ms since epoch). */
  readonly timestampMs: number;
  readonly families: readonly MetricFamily[];
}

/** Finds a family by full name, or undefined. */
export function findFamily(snapshot: MetricsSnapshot, name: string): MetricFamily | undefined {
  return snapshot.families.find((f) => f.name === name);
}

/** The value of a counter/gauge series whose labels include all of `match`, or undefined. */
export function findValue(
  snapshot: MetricsSnapshot,
  name: string,
  match: Record<string, string> = {},
): number | undefined {
  const family = findFamily(snapshot, name);
  if (!family || family.type === "histogram" || family.type === "summary") return undefined;
  const keys = Object.keys(match);
  for (const s of family.series) {
    if (keys.every((k) => s.labels[k] === match[k])) return s.value;
  }
  return undefined;
}
