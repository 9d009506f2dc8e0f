/**
 * Seed 001's JSON configuration of metrics: define metrics in a file instead of code and get a
 * typed handle per key. Validation names the key and field that is wrong
 * (`metrics.frame_time.metricType: expected one of counter, gauge, histogram, summary; got "timer2"`).
 * The seed's snake_case field names (`metric_type`) are accepted as aliases.
 */
import { ErrorCode, HeadroomError } from "../errors.js";

export interface MetricConfig {
  namespace: string;
  name: string;
  description: string;
  metricType: "counter" | "gauge" | "histogram" | "summary";
  unit?: string;
  /** Constant labels: the handle for this key is bound to exactly these values. */
  labels?: Record<string, string>;
  /** Histogram bounds (default buckets when absent). */
  buckets?: number[];
}

export interface MetricsConfig {
  /** Config format version; 1 is the only one so far. */
  version?: number;
  metrics: Record<string, MetricConfig>;
}

const TYPES = ["counter", "gauge", "histogram", "summary"] as const;

function fail(where: string, message: string): never {
  throw new HeadroomError(ErrorCode.Config, `[metrics:config] ${where}: ${message}`, {
    data: { key: where },
  });
}

function describe(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

function field(entry: Record<string, unknown>, camel: string, snake: string): unknown {
  return entry[camel] ?? entry[snake];
}

/** Validates a parsed JSON value as a MetricsConfig. */
export function parseMetricsConfig(input: unknown, source = "config"): MetricsConfig {
  if (typeof input !== "object" || input === null || Array.isArray(input)) fail(source, "expected an object");
  const root = input as Record<string, unknown>;
  const version = root.version ?? 1;
  if (version !== 1) fail(`${source}: version`, `expected 1, got ${describe(version)}`);
  const metrics = root.metrics;
  if (typeof metrics !== "object" || metrics === null || Array.isArray(metrics)) {
    fail(`${source}: metrics`, `expected an object of metric definitions, got ${describe(metrics)}`);
  }
  const out: Record<string, MetricConfig> = {};
  for (const [key, raw] of Object.entries(metrics as Record<string, unknown>)) {
    const at = `${source}: metrics.${key}`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail(at, "expected an object");
    const entry = raw as Record<string, unknown>;
    const str = (camel: string, snake: string, optional = false): string | undefined => {
      const value = field(entry, camel, snake);
      if (value === undefined && optional) return undefined;
      if (typeof value !== "string") fail(`${at}.${camel}`, `expected a string, got ${describe(value)}`);
      return value;
    };
    const metricType = str("metricType", "metric_type") as string;
    if (!(TYPES as readonly string[]).includes(metricType)) {
      fail(`${at}.metricType`, `expected one of ${TYPES.join(", ")}; got ${describe(metricType)}`);
    }
    const labels = entry.labels;
    if (labels !== undefined) {
      if (typeof labels !== "object" || labels === null || Array.isArray(labels)) {
        fail(`${at}.labels`, "expected an object of label name to value");
      }
      for (const [name, value] of Object.entries(labels)) {
        if (typeof value !== "string")
          fail(`${at}.labels.${name}`, `expected a string, got ${describe(value)}`);
      }
    }
    const buckets = entry.buckets;
    if (buckets !== undefined && (!Array.isArray(buckets) || buckets.some((b) => typeof b !== "number"))) {
      fail(`${at}.buckets`, "expected an array of numbers");
    }
    if (buckets !== undefined && metricType !== "histogram")
      fail(`${at}.buckets`, "only histograms take buckets");
    out[key] = {
      namespace: str("namespace", "namespace", true) ?? "",
      name: str("name", "name") as string,
      description: str("description", "description", true) ?? "",
      metricType: metricType as MetricConfig["metricType"],
      unit: str("unit", "unit", true),
      labels: labels as Record<string, string> | undefined,
      buckets: buckets as number[] | undefined,
    };
  }
  return { version: 1, metrics: out };
}

/** Parses JSON text (a file's contents) into a MetricsConfig; `source` names the file in errors. */
export function loadMetricsConfig(text: string, source = "config"): MetricsConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new HeadroomError(
      ErrorCode.Parse,
      `[metrics:config] ${source}: invalid JSON: ${(err as Error).message}`,
      {
        cause: err,
        data: { key: source },
      },
    );
  }
  return parseMetricsConfig(parsed, source);
}
