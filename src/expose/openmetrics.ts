/**
 * OpenMetrics 1.0 text, as a pure function of a snapshot: `_total` and `_created` for counters,
 * `# UNIT` where the name carries the unit as its suffix (the format's rule), info and
 * stateset types, and the closing `# EOF`.
 */
import type { MetricFamily, MetricsSnapshot } from "../metrics/snapshot.js";
import { braces, bracesWith, escapeHelp, formatNumber, labelBody } from "./format.js";

export const OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

function familyName(family: MetricFamily): string {
  if (family.type === "counter" && family.name.endsWith("_total")) return family.name.slice(0, -6);
  if (family.type === "info" && family.name.endsWith("_info")) return family.name.slice(0, -5);
  return family.name;
}

function created(ms: number | undefined): string {
  return ms === undefined ? "" : formatNumber(ms / 1000);
}

function encodeFamily(family: MetricFamily): string {
  const name = familyName(family);
  let out = `# TYPE ${name} ${family.type}\n`;
  if (family.unit && name.endsWith(`_${family.unit}`)) out += `# UNIT ${name} ${family.unit}\n`;
  out += `# HELP ${name} ${escapeHelp(family.help, true)}\n`;
  switch (family.type) {
    case "histogram": {
      const les = family.buckets.map((b) => `le="${formatNumber(b)}"`);
      les.push('le="+Inf"');
      for (const s of family.series) {
        const body = labelBody(s.labels, family.labelNames);
        for (let i = 0; i < les.length; i++)
          out += `${name}_bucket${bracesWith(body, les[i])} ${s.counts[i]}\n`;
        const b = braces(body);
        out += `${name}_count${b} ${s.count}\n${name}_sum${b} ${formatNumber(s.sum)}\n`;
        if (s.createdMs !== undefined) out += `${name}_created${b} ${created(s.createdMs)}\n`;
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
        out += `${name}_count${b} ${s.count}\n${name}_sum${b} ${formatNumber(s.sum)}\n`;
        if (s.createdMs !== undefined) out += `${name}_created${b} ${created(s.createdMs)}\n`;
      }
      return out;
    case "counter":
      for (const s of family.series) {
        const b = braces(labelBody(s.labels, family.labelNames));
        out += `${name}_total${b} ${formatNumber(s.value)}\n`;
        if (s.createdMs !== undefined) out += `${name}_created${b} ${created(s.createdMs)}\n`;
      }
      return out;
    case "info":
      for (const s of family.series)
        out += `${name}_info${braces(labelBody(s.labels, family.labelNames))} 1\n`;
      return out;
    default:
      for (const s of family.series) {
        out += `${name}${braces(labelBody(s.labels, family.labelNames))} ${formatNumber(s.value)}\n`;
      }
      return out;
  }
}

export function encodeOpenMetrics(snapshot: MetricsSnapshot): string {
  let out = "";
  for (const family of snapshot.families) out += encodeFamily(family);
  return `${out}# EOF\n`;
}
