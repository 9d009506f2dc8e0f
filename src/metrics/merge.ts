/**
 * Merging snapshots taken in several workers (worker_threads, cluster) into one, with a policy
 * per metric: counters and histograms usually sum, gauges may sum (in-flight requests), take
 * the min or max, keep the first worker's value, or be omitted.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { HistogramSeries, Labels, MetricFamily, MetricsSnapshot, ScalarSeries } from "./snapshot.js";

export type MergePolicy = "sum" | "min" | "max" | "first" | "omit";

export interface MergeOptions {
  /** Policy per full metric name; unlisted counters and histograms sum, gauges take "first". */
  policies?: Readonly<Record<string, MergePolicy>>;
}

function keyOf(labels: Labels, names: readonly string[]): string {
  return names.map((n) => labels[n] ?? "").join("\u0000");
}

function combine(policy: MergePolicy, a: number, b: number): number {
  switch (policy) {
    case "sum":
      return a + b;
    case "min":
      return Math.min(a, b);
    case "max":
      return Math.max(a, b);
    default:
      return a;
  }
}

function defaultPolicy(family: MetricFamily): MergePolicy {
  return family.type === "counter" || family.type === "histogram" ? "sum" : "first";
}

export function mergeSnapshots(
  snapshots: readonly MetricsSnapshot[],
  options: MergeOptions = {},
): MetricsSnapshot {
  const merged = new Map<string, MetricFamily>();
  for (const snapshot of snapshots) {
    for (const family of snapshot.families) {
      const policy = options.policies?.[family.name] ?? defaultPolicy(family);
      if (policy === "omit") continue;
      const existing = merged.get(family.name);
      if (!existing) {
        merged.set(family.name, family);
        continue;
      }
      if (existing.type !== family.type) {
        throw new HeadroomError(
          ErrorCode.InvalidArgument,
          `[metrics] cannot merge "${family.name}": ${existing.type} in one snapshot, ${family.type} in another`,
        );
      }
      merged.set(family.name, mergeFamily(existing, family, policy));
    }
  }
  const timestampMs = Math.max(0, ...snapshots.map((s) => s.timestampMs));
  return { timestampMs, families: [...merged.values()] };
}

function mergeFamily(a: MetricFamily, b: MetricFamily, policy: MergePolicy): MetricFamily {
  const names = a.labelNames;
  if (a.type === "histogram" && b.type === "histogram") {
    if (a.buckets.join() !== b.buckets.join()) {
      throw new HeadroomError(
        ErrorCode.InvalidBuckets,
        `[metrics] cannot merge "${a.name}": bucket bounds differ`,
      );
    }
    const byKey = new Map<string, HistogramSeries>(a.series.map((s) => [keyOf(s.labels, names), s]));
    for (const s of b.series) {
      const key = keyOf(s.labels, names);
      const prev = byKey.get(key);
      byKey.set(
        key,
        prev
          ? {
              labels: prev.labels,
              counts: prev.counts.map((c, i) => combine(policy, c, s.counts[i])),
              sum: combine(policy, prev.sum, s.sum),
              count: combine(policy, prev.count, s.count),
            }
          : s,
      );
    }
    return { ...a, series: [...byKey.values()] };
  }
  if (a.type === "summary" || b.type === "summary") {
    // Quantiles cannot be combined; keep the first worker's series and add ones it lacks.
    const seen = new Set(a.series.map((s) => keyOf(s.labels, names)));
    return {
      ...a,
      series: [...a.series, ...b.series.filter((s) => !seen.has(keyOf(s.labels, names)))],
    } as MetricFamily;
  }
  const aSeries = a.series as readonly ScalarSeries[];
  const byKey = new Map<string, ScalarSeries>(aSeries.map((s) => [keyOf(s.labels, names), s]));
  for (const s of b.series as readonly ScalarSeries[]) {
    const key = keyOf(s.labels, names);
    const prev = byKey.get(key);
    byKey.set(key, prev ? { labels: prev.labels, value: combine(policy, prev.value, s.value) } : s);
  }
  return { ...a, series: [...byKey.values()] } as MetricFamily;
}
