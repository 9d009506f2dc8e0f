/**
 * Flattens a snapshot into Prometheus-model samples (one name, one label set, one value):
 * what remote write and the document-per-sample encoders send. Histograms become
 * `_bucket{le}`, `_sum` and `_count`; summaries `{quantile}`, `_sum` and `_count`; info
 * families `_info` with value 1, as the Prometheus exposition does.
 */
import type { Labels, MetricFamily, MetricsSnapshot } from "../metrics/snapshot.js";

export interface PushSample {
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
  /** The family the sample came from (its type drives metadata and document fields). */
  readonly family: MetricFamily;
}

/** Prometheus's spelling of a bucket bound or quantile (`0.5`, `1`, `+Inf`). */
export function formatBound(bound: number): string {
  if (bound === Number.POSITIVE_INFINITY) return "+Inf";
  if (bound === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(bound);
}

/** How many samples a family contributes when flattened (for batch sizing). */
export function familySampleCount(family: MetricFamily): number {
  if (family.type === "histogram") return family.series.length * (family.buckets.length + 3);
  if (family.type === "summary") {
    let n = 0;
    for (const s of family.series) n += s.quantiles.length + 2;
    return n;
  }
  return family.series.length;
}

/** Total samples in a snapshot once flattened. */
export function snapshotSampleCount(snapshot: MetricsSnapshot): number {
  let n = 0;
  for (const f of snapshot.families) n += familySampleCount(f);
  return n;
}

function infoName(name: string): string {
  return name.endsWith("_info") ? name : `${name}_info`;
}

/** Calls `emit` once per flattened sample, in snapshot order, without building an array. */
export function forEachSample(snapshot: MetricsSnapshot, emit: (sample: PushSample) => void): void {
  for (const family of snapshot.families) {
    if (family.type === "histogram") {
      for (const s of family.series) {
        const bucketName = `${family.name}_bucket`;
        for (let i = 0; i <= family.buckets.length; i++) {
          const le = i < family.buckets.length ? formatBound(family.buckets[i]) : "+Inf";
          emit({ name: bucketName, labels: { ...s.labels, le }, value: s.counts[i] ?? s.count, family });
        }
        emit({ name: `${family.name}_sum`, labels: s.labels, value: s.sum, family });
        emit({ name: `${family.name}_count`, labels: s.labels, value: s.count, family });
      }
    } else if (family.type === "summary") {
      for (const s of family.series) {
        for (const q of s.quantiles) {
          emit({
            name: family.name,
            labels: { ...s.labels, quantile: formatBound(q.quantile) },
            value: q.value,
            family,
          });
        }
        emit({ name: `${family.name}_sum`, labels: s.labels, value: s.sum, family });
        emit({ name: `${family.name}_count`, labels: s.labels, value: s.count, family });
      }
    } else {
      const name = family.type === "info" ? infoName(family.name) : family.name;
      for (const s of family.series) emit({ name, labels: s.labels, value: s.value, family });
    }
  }
}
