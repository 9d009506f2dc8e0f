/**
 * Escaping and number formatting shared by the text encoders, and the per-series cache of
 * formatted label strings (keyed on the frozen labels object a snapshot shares across renders,
 * so each series' labels are formatted once, not on every scrape).
 */
import type { Labels } from "../metrics/snapshot.js";

export function escapeLabelValue(value: string): string {
  return /[\\\n"]/.test(value)
    ? value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')
    : value;
}

/** HELP text: Prometheus 0.0.4 escapes backslash and newline; OpenMetrics also the double quote. */
export function escapeHelp(help: string, openMetrics: boolean): string {
  let out = help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
  if (openMetrics) out = out.replace(/"/g, '\\"');
  return out;
}

export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return `${value}`;
}

const bodies = new WeakMap<Labels, { names: readonly string[]; body: string }>();

/**
 * `a="x",b="y"` for a labels object (no braces), cached per object. The cache entry remembers
 * the label-name list it was built for (a family's list is one shared array), so a labels
 * object reused with other names is formatted afresh.
 */
export function labelBody(labels: Labels, names: readonly string[]): string {
  const cached = bodies.get(labels);
  if (cached !== undefined && cached.names === names) return cached.body;
  let body = "";
  for (const name of names) {
    const value = labels[name];
    if (value === undefined) continue;
    body += `${body ? "," : ""}${name}="${escapeLabelValue(value)}"`;
  }
  bodies.set(labels, { names, body });
  return body;
}

/** `{body}` or "" when there are no labels. */
export function braces(body: string): string {
  return body ? `{${body}}` : "";
}

/** `{body,extra}` for bucket and quantile lines. */
export function bracesWith(body: string, extra: string): string {
  return body ? `{${body},${extra}}` : `{${extra}}`;
}
