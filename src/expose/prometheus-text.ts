/**
 * Prometheus text exposition format 0.0.4, as a pure function of a snapshot. Info and StateSet
 * families are written as gauges, the closest type this format has.
 */
import type { MetricFamily, MetricsSnapshot } from "../metrics/snapshot.js";
import { braces, bracesWith, escapeHelp, formatNumber, labelBody } from "./format.js";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

function encodeFamily(family: MetricFamily): string {
  const { name } = family;
  const type = family.type === "info" || family.type === "stateset" ? "gauge" : family.type;
  let out = `# HELP ${name} ${escapeHelp(family.help, false)}\n# TYPE ${name} ${type}\n`;
  switch (family.type) {
    case "histogram": {
      const les = family.buckets.map((b) => `le="${formatNumber(b)}"`);
      les.push('le="+Inf"');
      for (const s of family.series) {
        const body = labelBody(s.labels, family.labelNames);
        for (let i = 0; i < les.length; i++)
          out += `${name}_bucket${bracesWith(body, les[i])} ${s.counts[i]}\n`;
        const b = braces(body);
        out += `${name}_sum${b} ${formatNumber(s.sum)}\n${name}_count${b} ${s.count}\n`;
      }
      return out;
    }
    case "summary":
      for (const s of family.series) {
        const body = labelBody(s.labels, family.labelNames);
        for (const q of s.quantiles) {
          out += `${name}${bracesWith(body, `quantile="${formatNumber(q.quantile)}"`)} ${formatNumber(q.value)}\n`;
        }
        const b = braces(body);
        out += `${name}_sum${b} ${formatNumber(s.sum)}\n${name}_count${b} ${s.count}\n`;
      }
      return out;
    default:
      for (const s of family.series) {
        out += `${name}${braces(labelBody(s.labels, family.labelNames))} ${formatNumber(s.value)}\n`;
      }
      return out;
  }
}

/** Renders every family of the snapshot. Families without series still get HELP and TYPE. */
export function encodePrometheusText(snapshot: MetricsSnapshot): string {
  let out = "";
  for (const family of snapshot.families) out += encodeFamily(family);
  return out;
}
