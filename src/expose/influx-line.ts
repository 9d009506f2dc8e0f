/**
 * InfluxDB line protocol (1.x and 2.x): `measurement,tag=v field=1.5,count=3i 1700000000000000000`.
 *
 * Layout, the one Telegraf's Prometheus input (metric_version 1) uses so existing Influx
 * dashboards read it: the measurement is the family name; a counter, gauge, info or stateset
 * series has one float field (`value` unless `fieldKey` says otherwise); a histogram has `sum`,
 * `count` and one integer field per bucket bound (`0.1`, `+Inf`, cumulative); a summary has
 * `sum`, `count` and one float field per quantile.
 *
 * Types never change per field, because InfluxDB rejects a whole batch on a type conflict:
 * values are always floats and counts always integers (`i`). NaN and the infinities cannot be
 * written in line protocol; such fields are left out and counted in `skipped`, and a line left
 * with no field is not written. Labels with an empty value are absent in the Prometheus model
 * and are left out too. A trailing backslash cannot be written in line protocol and is removed.
 */
import type { Labels, MetricsSnapshot } from "../metrics/snapshot.js";
import { formatBound } from "./push-samples.js";

export const InfluxPrecision = { Ns: "ns", Us: "us", Ms: "ms", S: "s" } as const;
export type InfluxPrecision = (typeof InfluxPrecision)[keyof typeof InfluxPrecision];

export interface InfluxLineOptions {
  /** Timestamp unit written at the end of each line (and sent as `precision`). Default `ns`. */
  readonly precision?: InfluxPrecision;
  /** Field key of scalar series. Default `value`. */
  readonly fieldKey?: string;
  /** Tags added to every line (`host`, `instance`); a series' own label wins. */
  readonly defaultTags?: Labels;
}

export interface InfluxLines {
  readonly body: string;
  /** Lines written. */
  readonly lines: number;
  /** Field values written. */
  readonly samples: number;
  /** Field values left out because line protocol cannot carry them (NaN, ±Inf). */
  readonly skipped: number;
}

// Control characters cannot appear raw in a line; they are written as a backslash escape,
// the same spelling Telegraf's serializer uses.
const CONTROL: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f" };

/** Escapes a measurement name: commas, spaces and control characters. */
export function escapeMeasurement(s: string): string {
  if (!/[, \n\r\t\f\\]/.test(s)) return s;
  return trimTrailingBackslash(s).replace(/[, \n\r\t\f]/g, (c) => CONTROL[c] ?? `\\${c}`);
}

/** Escapes a tag key, tag value or field key: commas, equals signs, spaces and control characters. */
export function escapeKey(s: string): string {
  if (!/[,= \n\r\t\f\\]/.test(s)) return s;
  return trimTrailingBackslash(s).replace(/[,= \n\r\t\f]/g, (c) => CONTROL[c] ?? `\\${c}`);
}

// A trailing backslash would escape the separator after it, and line protocol has no spelling
// for one (InfluxDB 1.x answers 400 to `t=x\\ `); it is removed, as Telegraf's serializer does.
function trimTrailingBackslash(s: string): string {
  return s.replace(/\\+$/, "");
}

function formatFloat(v: number): string {
  return String(v);
}

function timestamp(ms: number, precision: InfluxPrecision): string {
  const whole = Math.trunc(ms);
  switch (precision) {
    case "s":
      return String(Math.floor(whole / 1000));
    case "ms":
      return String(whole);
    case "us":
      return whole === 0 ? "0" : `${whole}000`;
    default:
      return whole === 0 ? "0" : `${whole}000000`;
  }
}

function tagSet(labels: Labels, defaults: Labels | undefined, cache: WeakMap<Labels, string>): string {
  const cached = cache.get(labels);
  if (cached !== undefined) return cached;
  const merged: Record<string, string> = defaults ? { ...defaults, ...labels } : { ...labels };
  const keys = Object.keys(merged).sort();
  let out = "";
  for (const k of keys) {
    const key = escapeKey(merged[k] === "" ? "" : k);
    const value = escapeKey(merged[k]);
    if (key === "" || value === "") continue;
    out += `,${key}=${value}`;
  }
  cache.set(labels, out);
  return out;
}

/** Encodes the snapshots as line protocol, one line per series per snapshot. */
export function encodeInfluxLines(
  snapshots: MetricsSnapshot | readonly MetricsSnapshot[],
  options: InfluxLineOptions = {},
): InfluxLines {
  const list = Array.isArray(snapshots) ? snapshots : [snapshots as MetricsSnapshot];
  const precision = options.precision ?? "ns";
  const fieldKey = escapeKey(options.fieldKey ?? "value");
  const cache = new WeakMap<Labels, string>();
  const parts: string[] = [];
  let samples = 0;
  let skipped = 0;
  const field = (key: string, v: number, integer: boolean): string => {
    if (!Number.isFinite(v)) {
      skipped++;
      return "";
    }
    samples++;
    return integer ? `${key}=${Math.round(v)}i` : `${key}=${formatFloat(v)}`;
  };
  const line = (measurement: string, tags: string, fields: string[], ts: string) => {
    const set = fields.filter((f) => f !== "").join(",");
    if (set !== "") parts.push(`${measurement}${tags} ${set} ${ts}`);
  };
  for (const snapshot of list) {
    const ts = timestamp(snapshot.timestampMs, precision);
    for (const family of snapshot.families) {
      const m = escapeMeasurement(family.name);
      if (family.type === "histogram") {
        const bounds = family.buckets.map((b: number) => escapeKey(formatBound(b)));
        for (const s of family.series) {
          const fields = [field("sum", s.sum, false), field("count", s.count, true)];
          for (let i = 0; i < bounds.length; i++) fields.push(field(bounds[i], s.counts[i], true));
          fields.push(field("+Inf", s.count, true));
          line(m, tagSet(s.labels, options.defaultTags, cache), fields, ts);
        }
      } else if (family.type === "summary") {
        for (const s of family.series) {
          const fields = [field("sum", s.sum, false), field("count", s.count, true)];
          for (const q of s.quantiles) fields.push(field(escapeKey(formatBound(q.quantile)), q.value, false));
          line(m, tagSet(s.labels, options.defaultTags, cache), fields, ts);
        }
      } else {
        for (const s of family.series) {
          line(m, tagSet(s.labels, options.defaultTags, cache), [field(fieldKey, s.value, false)], ts);
        }
      }
    }
  }
  return { body: parts.length ? `${parts.join("\n")}\n` : "", lines: parts.length, samples, skipped };
}
