/**
 * StatsD and DogStatsD lines from snapshots: `name:value|type` (plain StatsD puts the labels in
 * the name, `node_cpu_seconds_total.cpu_0.mode_idle`), `name:value|type|#k:v,k:v` (DogStatsD
 * tags).
 *
 * StatsD counters are increments, so a counter series sends the increase since the previous
 * snapshot (`state` keeps the last totals; the first sight of a series only records it, and a
 * drop counts as a reset, as in PromQL). Gauges send their value; plain StatsD reads a leading
 * sign as a relative change, so a negative gauge is sent as `0` then the value. Histograms send
 * `_sum` and `_count` increases; summaries their quantiles as gauges. StatsD has no NaN or
 * infinities: such values are left out and counted in `skipped`. The characters the line
 * format uses as separators (`:`, `|`, `@`, `#`, `,`, newlines) are replaced by `_`.
 */
import type { Labels, MetricsSnapshot } from "../metrics/snapshot.js";
import { formatBound } from "./push-samples.js";

export const StatsdFlavor = { StatsD: "statsd", DogStatsD: "dogstatsd" } as const;
export type StatsdFlavor = (typeof StatsdFlavor)[keyof typeof StatsdFlavor];

export interface StatsdOptions {
  /** Default `dogstatsd`. */
  readonly flavor?: StatsdFlavor;
  /** Prepended to every name with a dot (`headroom.`). */
  readonly prefix?: string;
  /** Tags added to every line (DogStatsD) or name (StatsD); a series' own label wins. */
  readonly defaultTags?: Labels;
}

/** Last counter totals per series; keep one per destination between calls. */
export type StatsdState = Map<string, number>;

export interface StatsdLines {
  readonly lines: string[];
  readonly skipped: number;
}

function clean(s: string): string {
  return s.replace(/[:|@#,\s]/g, "_");
}

function cleanName(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, "_");
}

export function encodeStatsd(
  snapshot: MetricsSnapshot,
  state: StatsdState,
  options: StatsdOptions = {},
): StatsdLines {
  const dog = (options.flavor ?? "dogstatsd") === "dogstatsd";
  const prefix = options.prefix ? `${cleanName(options.prefix)}.` : "";
  const lines: string[] = [];
  let skipped = 0;
  const series = (name: string, labels: Labels, extra?: [string, string]) => {
    const all: Record<string, string> = { ...options.defaultTags, ...labels };
    if (extra) all[extra[0]] = extra[1];
    const keys = Object.keys(all)
      .filter((k) => all[k] !== "")
      .sort();
    if (dog) {
      const tags = keys.map((k) => `${clean(k)}:${clean(all[k])}`).join(",");
      return { id: `${name}|${tags}`, head: `${prefix}${cleanName(name)}`, tail: tags ? `|#${tags}` : "" };
    }
    // Dots are Graphite's level separator: inside a label they would add levels.
    const part = (x: string) => cleanName(x).replace(/\./g, "_");
    const suffix = keys.map((k) => `.${part(k)}_${part(all[k])}`).join("");
    return { id: `${name}${suffix}`, head: `${prefix}${cleanName(name)}${suffix}`, tail: "" };
  };
  const gauge = (name: string, labels: Labels, v: number, extra?: [string, string]) => {
    if (!Number.isFinite(v)) {
      skipped++;
      return;
    }
    const s = series(name, labels, extra);
    if (v < 0 && !dog) lines.push(`${s.head}:0|g${s.tail}`);
    lines.push(`${s.head}:${v}|g${s.tail}`);
  };
  const counter = (name: string, labels: Labels, total: number) => {
    if (!Number.isFinite(total)) {
      skipped++;
      return;
    }
    const s = series(name, labels);
    const last = state.get(s.id);
    state.set(s.id, total);
    if (last === undefined) return;
    const delta = total >= last ? total - last : total;
    if (delta > 0) lines.push(`${s.head}:${delta}|c${s.tail}`);
  };
  for (const f of snapshot.families) {
    for (const s of f.series) {
      if (f.type === "counter" && "value" in s) counter(f.name, s.labels, s.value);
      else if (f.type === "histogram" && "counts" in s) {
        counter(`${f.name}_sum`, s.labels, s.sum);
        counter(`${f.name}_count`, s.labels, s.count);
      } else if (f.type === "summary" && "quantiles" in s) {
        for (const q of s.quantiles) gauge(f.name, s.labels, q.value, ["quantile", formatBound(q.quantile)]);
        counter(`${f.name}_sum`, s.labels, s.sum);
        counter(`${f.name}_count`, s.labels, s.count);
      } else if ("value" in s) gauge(f.name, s.labels, s.value);
    }
  }
  return { lines, skipped };
}

/** Packs lines into datagrams of at most `maxBytes` (a line longer than that travels alone). */
export function packDatagrams(lines: readonly string[], maxBytes = 1432): string[] {
  const out: string[] = [];
  let current = "";
  let size = 0;
  for (const line of lines) {
    const n = new TextEncoder().encode(line).length;
    if (current !== "" && size + 1 + n > maxBytes) {
      out.push(current);
      current = "";
      size = 0;
    }
    current = current === "" ? line : `${current}\n${line}`;
    size += (size === 0 ? 0 : 1) + n;
  }
  if (current !== "") out.push(current);
  return out;
}
