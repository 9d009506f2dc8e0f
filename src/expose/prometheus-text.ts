/**
 * Prometheus text exposition format 0.0.4, as a pure function of a snapshot. Info and StateSet
 * families are written as gauges, the closest type this format has.
 *
 * Each series' line prefixes (`name{labels} `) are built once and cached on the series' frozen
 * labels object, so a render is one concatenation of prefix, value and newline per line.
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

function encodeHistogram(family: HistogramFamily, out: string[]): void {
  const n = family.buckets.length + 1;
  for (const s of family.series) {
    const prefixes = histogramPrefix(family, s.labels);
    for (let i = 0; i < n; i++) out.push(prefixes[i], `${s.counts[i]}`, "\n");
    out.push(`${prefixes[n]}${formatNumber(s.sum)}\n${prefixes[n + 1]}${s.count}\n`);
  }
}

function encodeSummary(family: SummaryFamily, out: string[]): void {
  const { name } = family;
  for (const s of family.series) {
    const body = labelBody(s.labels, family.labelNames);
    for (const q of s.quantiles) {
      out.push(
        `${name}${bracesWith(body, `quantile="${formatNumber(q.quantile)}"`)} ${formatNumber(q.value)}\n`,
      );
    }
    const b = braces(body);
    out.push(`${name}_sum${b} ${formatNumber(s.sum)}\n${name}_count${b} ${s.count}\n`);
  }
}

function encodeFamily(family: MetricFamily, out: string[]): void {
  const type = family.type === "info" || family.type === "stateset" ? "gauge" : family.type;
  out.push(`# HELP ${family.name} ${escapeHelp(family.help, false)}\n# TYPE ${family.name} ${type}\n`);
  if (family.type === "histogram") encodeHistogram(family, out);
  else if (family.type === "summary") encodeSummary(family, out);
  else for (const s of family.series) out.push(scalarPrefix(family, s.labels), formatNumber(s.value), "\n");
}

/** Renders every family of the snapshot. Families without series still get HELP and TYPE. */
export function encodePrometheusText(snapshot: MetricsSnapshot): string {
  const out: string[] = [];
  for (const family of snapshot.families) encodeFamily(family, out);
  return out.join("");
}
