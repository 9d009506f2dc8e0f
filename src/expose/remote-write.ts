/**
 * Prometheus remote write 1.0: a snapshot (or several) as a `prometheus.WriteRequest` protobuf,
 * snappy block compressed. Spec: https://prometheus.io/docs/specs/remote_write_spec/
 *
 *   WriteRequest   { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 *   TimeSeries     { repeated Label labels = 1; repeated Sample samples = 2; }
 *   Label          { string name = 1; string value = 2; }
 *   Sample         { double value = 1; int64 timestamp = 2; }   // ms since epoch
 *   MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
 *
 * Labels are sorted by name with `__name__` among them, as the spec requires. NaN and the
 * infinities are legal float64 sample values here and are sent as they are.
 */
import type { Labels, MetricFamily, MetricsSnapshot } from "../metrics/snapshot.js";
import { ProtoWriter } from "./protobuf-writer.js";
import { formatBound } from "./push-samples.js";
import { snappyCompress } from "./snappy.js";

/** Headers every remote-write request carries (the spec's MUSTs). */
export const remoteWriteHeaders: Readonly<Record<string, string>> = Object.freeze({
  "Content-Type": "application/x-protobuf",
  "Content-Encoding": "snappy",
  "X-Prometheus-Remote-Write-Version": "0.1.0",
});

export interface RemoteWriteOptions {
  /**
   * Labels added to every series (`instance`, `job`, a fleet's `cluster`), like Prometheus's
   * `external_labels`; a series' own label of the same name wins.
   */
  readonly externalLabels?: Labels;
  /** Also send one MetricMetadata per family (type, help, unit). Default true. */
  readonly metadata?: boolean;
}

export interface RemoteWriteBody {
  /** The snappy-compressed WriteRequest, ready to POST. */
  readonly body: Uint8Array<ArrayBuffer>;
  /** Samples in the request. */
  readonly samples: number;
  /** Size of the protobuf before compression. */
  readonly rawBytes: number;
}

const metadataType: Record<MetricFamily["type"], number> = {
  counter: 1,
  gauge: 2,
  histogram: 3,
  summary: 5,
  info: 6,
  stateset: 7,
};

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Encoded Label fields per series, keyed on the snapshot's frozen labels object (shared
// between snapshots of the same series), then on name, extra label and external labels: a
// steady-state flush copies each series' labels as one block instead of re-sorting and
// re-encoding them.
const labelCache = new WeakMap<Labels, Map<string, Uint8Array>>();

function encodeLabels(
  name: string,
  labels: Labels,
  extraKey: string,
  extraValue: string,
  external: Labels,
  externalKeys: readonly string[],
): Uint8Array {
  const keys = Object.keys(labels);
  if (extraKey) keys.push(extraKey);
  for (const k of externalKeys) if (!(k in labels) && k !== extraKey) keys.push(k);
  keys.push("__name__");
  keys.sort(byName);
  const w = new ProtoWriter(256);
  for (const k of keys) {
    const label = w.begin(1);
    w.string(1, k);
    w.string(2, k === "__name__" ? name : k === extraKey ? extraValue : (labels[k] ?? external[k]));
    w.end(label);
  }
  return w.finish();
}

/** Encodes the snapshots into an uncompressed WriteRequest; returns the bytes and sample count. */
export function encodeWriteRequest(
  snapshots: MetricsSnapshot | readonly MetricsSnapshot[],
  options: RemoteWriteOptions = {},
): { bytes: Uint8Array; samples: number } {
  const list = Array.isArray(snapshots) ? snapshots : [snapshots as MetricsSnapshot];
  const external = options.externalLabels ?? {};
  const externalKeys = Object.keys(external);
  const externalId = externalKeys.length ? JSON.stringify(external) : "";
  const w = new ProtoWriter(16384);
  let samples = 0;
  const seenFamilies = new Map<string, MetricFamily>();
  const put = (
    name: string,
    labels: Labels,
    extraKey: string,
    extraValue: string,
    value: number,
    ts: number,
  ) => {
    let byName = labelCache.get(labels);
    if (!byName) {
      byName = new Map();
      labelCache.set(labels, byName);
    }
    const key = `${name}\u0000${extraValue}\u0000${externalId}`;
    let block = byName.get(key);
    if (!block) {
      block = encodeLabels(name, labels, extraKey, extraValue, external, externalKeys);
      byName.set(key, block);
    }
    const series = w.begin(1);
    w.raw(block);
    const sample = w.begin(2);
    w.double(1, value);
    w.int64(2, ts);
    w.end(sample);
    w.end(series);
    samples++;
  };
  for (const snapshot of list) {
    const ts = snapshot.timestampMs;
    for (const f of snapshot.families) {
      if (f.series.length === 0) continue;
      seenFamilies.set(f.name, f);
      if (f.type === "histogram") {
        const bounds = f.buckets.map(formatBound);
        const bucket = `${f.name}_bucket`;
        for (const s of f.series) {
          for (let i = 0; i < bounds.length; i++) put(bucket, s.labels, "le", bounds[i], s.counts[i], ts);
          put(bucket, s.labels, "le", "+Inf", s.count, ts);
          put(`${f.name}_sum`, s.labels, "", "", s.sum, ts);
          put(`${f.name}_count`, s.labels, "", "", s.count, ts);
        }
      } else if (f.type === "summary") {
        for (const s of f.series) {
          for (const q of s.quantiles)
            put(f.name, s.labels, "quantile", formatBound(q.quantile), q.value, ts);
          put(`${f.name}_sum`, s.labels, "", "", s.sum, ts);
          put(`${f.name}_count`, s.labels, "", "", s.count, ts);
        }
      } else {
        const name = f.type === "info" && !f.name.endsWith("_info") ? `${f.name}_info` : f.name;
        for (const s of f.series) put(name, s.labels, "", "", s.value, ts);
      }
    }
  }
  if (options.metadata !== false) {
    for (const f of seenFamilies.values()) {
      const meta = w.begin(3);
      w.tag(1, 0);
      w.varint(metadataType[f.type]);
      w.string(2, f.name);
      if (f.help) w.string(4, f.help);
      if (f.unit) w.string(5, f.unit);
      w.end(meta);
    }
  }
  return { bytes: w.finish(), samples };
}

/** The request body for remote write: the WriteRequest, snappy compressed. */
export function encodeRemoteWrite(
  snapshots: MetricsSnapshot | readonly MetricsSnapshot[],
  options: RemoteWriteOptions = {},
): RemoteWriteBody {
  const { bytes, samples } = encodeWriteRequest(snapshots, options);
  return { body: snappyCompress(bytes), samples, rawBytes: bytes.length };
}

/** One series with its own samples, for writers that hold raw points rather than snapshots. */
export interface RawSeries {
  readonly name: string;
  readonly labels: Labels;
  /** Oldest first; `t` in ms since the epoch. */
  readonly samples: readonly { readonly t: number; readonly v: number }[];
}

/** A remote-write body (snappy-compressed WriteRequest) for raw series, one TimeSeries each. */
export function encodeRawSeries(series: readonly RawSeries[], externalLabels: Labels = {}): RemoteWriteBody {
  const w = new ProtoWriter(16384);
  let samples = 0;
  const externalKeys = Object.keys(externalLabels);
  for (const s of series) {
    if (s.samples.length === 0) continue;
    const keys = Object.keys(s.labels);
    for (const k of externalKeys) if (!(k in s.labels)) keys.push(k);
    keys.push("__name__");
    keys.sort(byName);
    const ts = w.begin(1);
    for (const k of keys) {
      const label = w.begin(1);
      w.string(1, k);
      w.string(2, k === "__name__" ? s.name : (s.labels[k] ?? externalLabels[k]));
      w.end(label);
    }
    for (const p of s.samples) {
      const sample = w.begin(2);
      w.double(1, p.v);
      w.int64(2, p.t);
      w.end(sample);
      samples++;
    }
    w.end(ts);
  }
  const bytes = w.finish();
  return { body: snappyCompress(bytes), samples, rawBytes: bytes.length };
}
