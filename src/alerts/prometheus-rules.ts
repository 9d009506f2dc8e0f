/**
 * Rules to and from Prometheus alerting-rule YAML, so a fleet can move rules into Prometheus or
 * vmalert unchanged (`promtool check rules` passes on the output) and bring the fitting subset
 * of its rule files here. Hysteresis is written with the usual PromQL idiom: the alert keeps
 * firing while its own `ALERTS` series fires and the clear condition does not hold.
 */
import { parse, stringify } from "yaml";
import { ErrorCode, HeadroomError } from "../errors.js";
import { formatDuration, parseDuration } from "./duration.js";
import { formatMatchers, parseSelector } from "./matchers.js";
import type { AlertRule, AlertRuleSpec, Operator, Reduction } from "./rule.js";
import { formatValue } from "./template.js";

const NEGATE: Record<Operator, Operator> = {
  ">": "<=",
  ">=": "<",
  "<": ">=",
  "<=": ">",
  "==": "!=",
  "!=": "==",
};
const FN: Record<Exclude<Reduction, "last">, string> = {
  avg: "avg_over_time",
  max: "max_over_time",
  min: "min_over_time",
  rate: "rate",
};

function inner(rule: AlertRule): string {
  const sel = `${rule.metric}${formatMatchers(rule.matchers)}`;
  return rule.reduce === "last" ? sel : `${FN[rule.reduce]}(${sel}[${formatDuration(rule.windowMs)}])`;
}

/** The PromQL expression for `rule`. */
export function ruleExpr(rule: AlertRule): string {
  const x = inner(rule);
  const fire = `${x} ${rule.op} ${rule.threshold}`;
  if (!rule.clear) return fire;
  const ignored = ["alertstate", "alertname", "severity", ...Object.keys(rule.labels)].join(", ");
  const keep = `${x} ${NEGATE[rule.clear.op]} ${rule.clear.threshold}`;
  const self = `ALERTS{alertname=${JSON.stringify(rule.name)},alertstate="firing",severity=${JSON.stringify(rule.severity)}}`;
  return `(${fire}) or ((${keep}) and ignoring(${ignored}) ${self})`;
}

function promTemplate(rule: AlertRule, text: string): string {
  return text
    .replace(/\{\{\s*\$threshold\s*\}\}/g, formatValue(rule.threshold))
    .replace(/\{\{\s*\$rule\s*\}\}/g, rule.name)
    .replace(/\{\{\s*\$severity\s*\}\}/g, rule.severity);
}

/** Prometheus rule-file YAML with one group holding `rules`. */
export function exportPrometheusRules(
  rules: readonly AlertRule[],
  options: { groupName?: string; interval?: string | number } = {},
): string {
  const group: Record<string, unknown> = { name: options.groupName ?? "headroom" };
  if (options.interval !== undefined)
    group.interval = formatDuration(parseDuration(options.interval, "interval"));
  group.rules = rules.map((r) => {
    const out: Record<string, unknown> = { alert: r.name, expr: ruleExpr(r) };
    if (r.forMs > 0) out.for = formatDuration(r.forMs);
    if (r.keepFiringForMs > 0) out.keep_firing_for = formatDuration(r.keepFiringForMs);
    out.labels = { ...r.labels, severity: r.severity };
    const ann = Object.fromEntries(
      Object.entries(r.annotationSources).map(([k, v]) => [k, promTemplate(r, v)]),
    );
    if (Object.keys(ann).length > 0) out.annotations = ann;
    return out;
  });
  return stringify({ groups: [group] }, { lineWidth: 0 });
}

export interface ImportResult {
  rules: AlertRuleSpec[];
  /** Rules left out because they do not fit the rule model, with why (only with `skipUnsupported`). */
  skipped: { group: string; rule: string; reason: string }[];
}

const NUM = String.raw`([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)`;
const SEL = String.raw`([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^{}]*\})?)`;
const OP = "(>=|<=|==|!=|>|<)";
const PLAIN = new RegExp(String.raw`^\s*${SEL}\s*${OP}\s*${NUM}\s*$`);
const FUNC = new RegExp(
  String.raw`^\s*(avg_over_time|max_over_time|min_over_time|rate)\(\s*${SEL}\s*\[\s*([0-9a-z]+)\s*\]\s*\)\s*${OP}\s*${NUM}\s*$`,
);
const HYST = /^\s*\((.*)\)\s+or\s+\(\((.*)\)\s+and\s+ignoring\([^)]*\)\s+ALERTS\{[^}]*\}\)\s*$/s;
const REDUCE: Record<string, Reduction> = {
  avg_over_time: "avg",
  max_over_time: "max",
  min_over_time: "min",
  rate: "rate",
};

function parseCondition(expr: string): {
  selector: string;
  reduce: Reduction;
  window?: string;
  op: Operator;
  threshold: number;
} | null {
  const p = PLAIN.exec(expr);
  if (p) return { selector: p[1], reduce: "last", op: p[2] as Operator, threshold: Number(p[3]) };
  const f = FUNC.exec(expr);
  if (f)
    return {
      selector: f[2],
      reduce: REDUCE[f[1]],
      window: f[3],
      op: f[4] as Operator,
      threshold: Number(f[5]),
    };
  return null;
}

function unsupported(group: string, rule: string, reason: string): never {
  throw new HeadroomError(ErrorCode.Parse, `[alerts:import] group "${group}" rule "${rule}": ${reason}`, {
    data: { group, rule, reason },
  });
}

function convert(group: string, r: Record<string, unknown>): AlertRuleSpec {
  const name = String(r.alert ?? r.record ?? "?");
  if (r.record !== undefined) unsupported(group, name, "recording rules are not alerting rules");
  if (typeof r.expr !== "string") unsupported(group, name, 'field "expr" is missing');
  const expr = r.expr;
  let fire = parseCondition(expr);
  let clear: { op: Operator; threshold: number } | undefined;
  const h = HYST.exec(expr);
  if (!fire && h) {
    fire = parseCondition(h[1]);
    const keep = parseCondition(h[2]);
    if (fire && keep) clear = { op: NEGATE[keep.op], threshold: keep.threshold };
  }
  if (!fire) {
    unsupported(
      group,
      name,
      `field "expr" (${expr.trim()}) does not fit the rule model: expected "selector OP number", "fn(selector[window]) OP number" with fn one of avg_over_time, max_over_time, min_over_time, rate, or the hysteresis form Headroom exports`,
    );
  }
  const labels = { ...((r.labels as Record<string, string>) ?? {}) };
  const severity = labels.severity ?? "warning";
  delete labels.severity;
  if (!["info", "warning", "critical"].includes(severity)) {
    unsupported(group, name, `label "severity" is "${severity}"; expected info, warning or critical`);
  }
  const annotations = (r.annotations as Record<string, string>) ?? {};
  const refs = new Set<string>();
  for (const v of Object.values(annotations)) {
    for (const m of String(v).matchAll(/\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)/g)) refs.add(m[1]);
  }
  const sel = parseSelector(fire.selector, `group "${group}" rule "${name}" field "expr"`);
  const spec: AlertRuleSpec = {
    name,
    metric: sel.metric,
    matchers: sel.matchers,
    reduce: fire.reduce,
    op: fire.op,
    threshold: fire.threshold,
    severity: severity as AlertRuleSpec["severity"],
    labels,
    annotations,
    // The file's templates are trusted: its series labels are not known here.
    labelNames: [...refs],
  };
  if (fire.window) spec.window = fire.window;
  if (clear) spec.clear = clear;
  if (r.for !== undefined) spec.for = String(r.for);
  if (r.keep_firing_for !== undefined) spec.keepFiringFor = String(r.keep_firing_for);
  return spec;
}

/**
 * Reads a Prometheus rule file. Throws HR_PARSE naming the group, the rule and what does not fit
 * (or, with `skipUnsupported`, leaves those rules out and lists them in `skipped`).
 */
export function importPrometheusRules(
  text: string,
  options: { skipUnsupported?: boolean } = {},
): ImportResult {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (cause) {
    throw new HeadroomError(ErrorCode.Parse, `[alerts:import] not valid YAML: ${(cause as Error).message}`, {
      cause,
    });
  }
  const groups = (doc as { groups?: unknown })?.groups;
  if (!Array.isArray(groups))
    throw new HeadroomError(ErrorCode.Parse, '[alerts:import] expected a top-level "groups" list');
  const out: ImportResult = { rules: [], skipped: [] };
  for (const g of groups as Record<string, unknown>[]) {
    const group = String(g?.name ?? "?");
    if (!Array.isArray(g?.rules)) unsupported(group, "-", 'field "rules" is not a list');
    for (const r of g.rules as Record<string, unknown>[]) {
      try {
        out.rules.push(convert(group, r ?? {}));
      } catch (err) {
        if (!options.skipUnsupported) throw err;
        out.skipped.push({
          group,
          rule: String(r?.alert ?? r?.record ?? "?"),
          reason: (err as Error).message,
        });
      }
    }
  }
  return out;
}
