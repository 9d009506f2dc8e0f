/**
 * OTLP/HTTP metrics, JSON encoding (`POST /v1/metrics`, `Content-Type: application/json`):
 * an `ExportMetricsServiceRequest` as the OTLP spec's protobuf-JSON mapping writes it.
 * Spec: https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding and
 * opentelemetry-proto `opentelemetry/proto/metrics/v1/metrics.proto`.
 *
 * Mapping from the Prometheus model, as the collector's prometheus receiver does it:
 * counter -> monotonic cumulative `sum`; gauge, info, stateset -> `gauge`; histogram ->
 * cumulative `histogram` (per-bucket counts, not cumulative ones, with `explicitBounds`);
 * summary -> `summary`. Per the mapping, 64-bit integers (times, counts) are decimal strings,
 * enums are integers, and non-finite doubles are the strings "NaN", "Infinity", "-Infinity"
 * (OTLP allows them; plain JSON cannot carry them as numbers).
 */
import type { Labels, MetricFamily, MetricsSnapshot } from "../metrics/snapshot.js";

/** AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE */
const CUMULATIVE = 2;

export interface OtlpJsonOptions {
  /** Resource attributes (`service.name`, `host.name`, `service.instance.id`). Default `service.name=headroom`. */
  readonly resource?: Labels;
  /** Instrumentation scope. Default `{ name: "headroom" }`. */
  readonly scope?: { readonly name: string; readonly version?: string };
}

type AnyValue = { stringValue: string };
type KeyValue = { key: string; value: AnyValue };
type JsonDouble = number | "NaN" | "Infinity" | "-Infinity";

/** A double as the protobuf JSON mapping spells it. */
export function jsonDouble(v: number): JsonDouble {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return "NaN";
  return v > 0 ? "Infinity" : "-Infinity";
}

// Prometheus unit words to the UCUM codes OTLP uses (what the collector's translator does).
const UCUM: Readonly<Record<string, string>> = {
  seconds: "s",
  milliseconds: "ms",
  bytes: "By",
  ratio: "1",
  percent: "%",
  celsius: "Cel",
  hertz: "Hz",
  joules: "J",
  watts: "W",
  volts: "V",
  amperes: "A",
  meters: "m",
};

function nanos(ms: number): string {
  const whole = Math.trunc(ms);
  return whole === 0 ? "0" : `${whole}000000`;
}

function attributes(labels: Labels): KeyValue[] {
  return Object.keys(labels)
    .sort()
    .map((key) => ({ key, value: { stringValue: labels[key] } }));
}

function uint(n: number): string {
  return String(Math.max(0, Math.round(n)));
}

function metric(family: MetricFamily, snapshot: MetricsSnapshot): Record<string, unknown> {
  const time = nanos(snapshot.timestampMs);
  const start = (createdMs?: number) => (createdMs === undefined ? undefined : nanos(createdMs));
  const base = { name: family.name, description: family.help, unit: UCUM[family.unit] ?? family.unit };
  switch (family.type) {
    case "histogram":
      return {
        ...base,
        histogram: {
          aggregationTemporality: CUMULATIVE,
          dataPoints: family.series.map((s) => ({
            attributes: attributes(s.labels),
            startTimeUnixNano: start(s.createdMs),
            timeUnixNano: time,
            count: uint(s.count),
            sum: jsonDouble(s.sum),
            // Snapshot counts are cumulative; OTLP wants the count of each bucket alone.
            bucketCounts: s.counts.map((c, i) => uint(c - (i === 0 ? 0 : s.counts[i - 1]))),
            explicitBounds: [...family.buckets],
          })),
        },
      };
    case "summary":
      return {
        ...base,
        summary: {
          dataPoints: family.series.map((s) => ({
            attributes: attributes(s.labels),
            startTimeUnixNano: start(s.createdMs),
            timeUnixNano: time,
            count: uint(s.count),
            sum: jsonDouble(s.sum),
            quantileValues: s.quantiles.map((q) => ({ quantile: q.quantile, value: jsonDouble(q.value) })),
          })),
        },
      };
    default: {
      const dataPoints = family.series.map((s) => ({
        attributes: attributes(s.labels),
        startTimeUnixNano: start(s.createdMs),
        timeUnixNano: time,
        asDouble: jsonDouble(s.value),
      }));
      if (family.type === "counter") {
        return { ...base, sum: { aggregationTemporality: CUMULATIVE, isMonotonic: true, dataPoints } };
      }
      return { ...base, gauge: { dataPoints } };
    }
  }
}

/** The request as a plain object (for tests and for callers that embed it). */
export function otlpRequest(
  snapshots: MetricsSnapshot | readonly MetricsSnapshot[],
  options: OtlpJsonOptions = {},
): Record<string, unknown> {
  const list = Array.isArray(snapshots) ? snapshots : [snapshots as MetricsSnapshot];
  const metrics: Record<string, unknown>[] = [];
  for (const snapshot of list) {
    for (const family of snapshot.families) {
      if (family.series.length > 0) metrics.push(metric(family, snapshot));
    }
  }
  const scope = options.scope ?? { name: "headroom" };
  return {
    resourceMetrics: [
      {
        resource: { attributes: attributes(options.resource ?? { "service.name": "headroom" }) },
        scopeMetrics: [{ scope: { name: scope.name, version: scope.version ?? "" }, metrics }],
      },
    ],
  };
}

/** The request body for `POST /v1/metrics` with `Content-Type: application/json`. */
export function encodeOtlpJson(
  snapshots: MetricsSnapshot | readonly MetricsSnapshot[],
  options: OtlpJsonOptions = {},
): string {
  return JSON.stringify(otlpRequest(snapshots, options));
}
