/**
 * Prometheus text exposition format 0.0.4, as a pure function of a snapshot. Info and StateSet
 * families are written as gauges, the closest type this format has.
 *
 * Each series' line prefixes (`name{labels} `) are built once and cached on the series' frozen
 * labels object, so a render is one concatenation of prefix, value and newline per line. The
 * text is built with `+=` (a rope V8 flattens once), which measured twice as fast as
 * collecting pieces in an array and joining them.
 */
import type {
  HistogramFamily,
  Labels,
  MetricFamily,
  MetricsSnapshot,
  SummaryFamily,
} from "../metrics/snapshot.js";
import { braces, bracesWith, escapeHelp, formatNumber, labelBody } from "./format.js";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

// Keyed on the labels object; the family name is kept beside the prefix because a hand-built
// snapshot may share one labels object between families.
const scalarPrefixes = new WeakMap<Labels, { name: string; prefix: string }>();
const histogramPrefixes = new WeakMap<Labels, { name: string; prefixes: string[] }>();

function scalarPrefix(family: MetricFamily, labels: Labels): string {
  const cached = scalarPrefixes.get(labels);
  if (cached !== undefined && cached.name === family.name) return cached.prefix;
  const prefix = `${family.name}${braces(labelBody(labels, family.labelNames))} `;
  scalarPrefixes.set(labels, { name: family.name, prefix });
  return prefix;
}

/** `name_bucket{...,le="b"} ` for every bound and +Inf, then `name_sum{...} ` and `name_count{...} `. */
function histogramPrefix(family: HistogramFamily, labels: Labels): string[] {
  const cached = histogramPrefixes.get(labels);
  if (
    cached !== undefined &&
    cached.name === family.name &&
    cached.prefixes.length === family.buckets.length + 3
  ) {
    return cached.prefixes;
  }
  const body = labelBody(labels, family.labelNames);
  const prefixes = family.buckets.map(
    (b) => `${family.name}_bucket${bracesWith(body, `le="${formatNumber(b)}"`)} `,
  );
  prefixes.push(`${family.name}_bucket${bracesWith(body, 'le="+Inf"')} `);
  prefixes.push(`${family.name}_sum${braces(body)} `, `${family.name}_count${braces(body)} `);
  histogramPrefixes.set(labels, { name: family.name, prefixes });
  return prefixes;
}

function encodeHistogram(family: HistogramFamily): string {
  const n = family.buckets.length + 1;
  let out = "";
  for (const s of family.series) {
    const prefixes = histogramPrefix(family, s.labels);
    for (let i = 0; i < n; i++) out += `${prefixes[i]}${s.counts[i]}\n`;
    out += `${prefixes[n]}${formatNumber(s.sum)}\n${prefixes[n + 1]}${s.count}\n`;
  }
  return out;
}

function encodeSummary(family: SummaryFamily): string {
  const { name } = family;
  let out = "";
  for (const s of family.series) {
    const body = labelBody(s.labels, family.labelNames);
    for (const q of s.quantiles) {
      out += `${name}${bracesWith(body, `quantile="${formatNumber(q.quantile)}"`)} ${formatNumber(q.value)}\n`;
    }
    const b = braces(body);
    out += `${name}_sum${b} ${formatNumber(s.sum)}\n${name}_count${b} ${s.count}\n`;
  }
  return out;
}

function encodeFamily(family: MetricFamily): string {
  const type = family.type === "info" || family.type === "stateset" ? "gauge" : family.type;
  let out = `# HELP ${family.name} ${escapeHelp(family.help, false)}\n# TYPE ${family.name} ${type}\n`;
  if (family.type === "histogram") return out + encodeHistogram(family);
  if (family.type === "summary") return out + encodeSummary(family);
  for (const s of family.series) out += `${scalarPrefix(family, s.labels)}${formatNumber(s.value)}\n`;
  return out;
}

/** Renders every family of the snapshot. Families without series still get HELP and TYPE. */
export function encodePrometheusText(snapshot: MetricsSnapshot): string {
  let out = "";
  for (const family of snapshot.families) out += encodeFamily(family);
  return out;
}
