/**
 * Alert rules: what a user writes (`AlertRuleSpec`, plain data from TOML, JSON or code) and what
 * the engine runs (`AlertRule`, validated and compiled once by `parseRules`). A rule selects series
 * by metric name and label matchers, optionally reduces each over a window, compares with a
 * threshold, and yields one alert instance per matching series. Values never become labels.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { parseDuration } from "./duration.js";
import { type CompiledMatcher, compileMatchers, type LabelMatcher, parseSelector } from "./matchers.js";
import { type CompiledTemplate, compileTemplate } from "./template.js";

export const Severity = { Info: "info", Warning: "warning", Critical: "critical" } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

export type Operator = ">" | ">=" | "<" | "<=" | "==" | "!=";
export type Reduction = "last" | "avg" | "max" | "min" | "rate";

/**
 * What an instance does when its series has no data (after the missing-series grace) or its
 * evaluation fails: enter the explicit `nodata`/`error` state (notified), count as `alerting`,
 * count as `ok` (resolves), or `keep-last` (hold the current state).
 */
export type OutcomePolicy = "nodata" | "error" | "alerting" | "ok" | "keep-last";

export interface ConditionSpec {
  op: Operator;
  threshold: number;
}

export interface AlertRuleSpec {
  name: string;
  /** `metric{label="x"}`; an alternative to `metric` + `matchers`. */
  selector?: string;
  metric?: string;
  matchers?: LabelMatcher[];
  reduce?: Reduction;
  /** Window for `reduce` (required unless `reduce` is `last`). */
  window?: string | number;
  op: Operator;
  threshold: number;
  /** Hysteresis: once firing, the alert resolves only when this holds (default: the fire condition fails). */
  clear?: ConditionSpec;
  for?: string | number;
  keepFiringFor?: string | number;
  severity?: Severity;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** After the missing-series grace; default `ok` (a series that is gone resolves, as in Prometheus). */
  noData?: OutcomePolicy;
  /** When evaluation fails (a history query, a histogram selected); default `error` (announced). */
  onError?: OutcomePolicy;
  /** How long a series may be missing before it counts as no data (default 2 minutes). */
  missingGrace?: string | number;
  /** Labels the selected series carry, so templates can be checked at load. */
  labelNames?: string[];
  /** Flap detection: `maxTransitions` state changes within `window` mark the alert flapping. */
  flap?: { window?: string | number; maxTransitions?: number };
}

export interface AlertRule {
  /** `name:severity`: a warning and a critical rule may share a name (the usual Prometheus pairing). */
  readonly id: string;
  readonly name: string;
  readonly metric: string;
  readonly matchers: readonly CompiledMatcher[];
  readonly reduce: Reduction;
  readonly windowMs: number;
  readonly op: Operator;
  readonly threshold: number;
  readonly clear: ConditionSpec | undefined;
  /** True when `v` meets the fire condition. */
  readonly fires: (v: number) => boolean;
  /** True when `v` meets the clear condition (the negation of `fires` without hysteresis). */
  readonly clears: (v: number) => boolean;
  readonly forMs: number;
  readonly keepFiringForMs: number;
  readonly severity: Severity;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, CompiledTemplate>>;
  readonly annotationSources: Readonly<Record<string, string>>;
  readonly noData: OutcomePolicy;
  readonly onError: OutcomePolicy;
  readonly missingGraceMs: number;
  readonly flapWindowMs: number;
  readonly flapMaxTransitions: number;
}

const OPERATORS: readonly string[] = [">", ">=", "<", "<=", "==", "!="];
const REDUCTIONS: readonly string[] = ["last", "avg", "max", "min", "rate"];
const SEVERITIES: readonly string[] = ["info", "warning", "critical"];
const POLICIES: readonly string[] = ["nodata", "error", "alerting", "ok", "keep-last"];
const NAME = /^[a-zA-Z_][a-zA-Z0-9_:]*$/;
const RESERVED_LABELS = new Set(["alertname", "severity"]);
const SNAKE: Record<string, string> = {
  keep_firing_for: "keepFiringFor",
  no_data: "noData",
  on_error: "onError",
  missing_grace: "missingGrace",
  label_names: "labelNames",
  max_transitions: "maxTransitions",
};

export function compare(op: Operator, threshold: number): (v: number) => boolean {
  switch (op) {
    case ">":
      return (v) => v > threshold;
    case ">=":
      return (v) => v >= threshold;
    case "<":
      return (v) => v < threshold;
    case "<=":
      return (v) => v <= threshold;
    case "==":
      return (v) => v === threshold;
    case "!=":
      return (v) => v !== threshold;
  }
}

function fail(rule: string, field: string, what: string, value?: unknown): never {
  throw new HeadroomError(ErrorCode.Config, `[alerts] rule "${rule}" field "${field}": ${what}`, {
    data: { rule, field, value },
  });
}

function camel(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[SNAKE[k] ?? k] = v;
  return out;
}

function checkCondition(rule: string, field: string, op: unknown, threshold: unknown): ConditionSpec {
  if (typeof op !== "string" || !OPERATORS.includes(op))
    fail(rule, field, `unknown operator "${String(op)}"`, op);
  if (typeof threshold !== "number" || !Number.isFinite(threshold)) {
    fail(rule, field, `threshold must be a finite number, got ${String(threshold)}`, threshold);
  }
  return { op: op as Operator, threshold };
}

export interface ParseRulesOptions {
  /** Label names a metric's series carry (the registry knows), used to check annotation templates. */
  labelNamesOf?: (metric: string) => readonly string[] | undefined;
}

/** Validates and compiles one rule; throws HR_CONFIG naming the rule and the field. */
export function parseRule(input: unknown, options: ParseRulesOptions = {}): AlertRule {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new HeadroomError(ErrorCode.Config, "[alerts] a rule must be an object", {
      data: { value: input },
    });
  }
  const spec = camel(input as Record<string, unknown>) as unknown as AlertRuleSpec;
  const name = spec.name;
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new HeadroomError(ErrorCode.Config, `[alerts] rule name "${String(name)}" is not a valid name`, {
      data: { field: "name", value: name },
    });
  }
  let metric = spec.metric ?? "";
  let rawMatchers: LabelMatcher[] = spec.matchers ?? [];
  if (spec.selector !== undefined) {
    const sel = parseSelector(spec.selector, `rule "${name}" field "selector"`);
    metric = sel.metric || metric;
    rawMatchers = [...sel.matchers, ...rawMatchers];
  }
  if (typeof metric !== "string" || !NAME.test(metric))
    fail(name, "metric", `invalid metric name "${metric}"`, metric);
  const matchers = compileMatchers(rawMatchers, `rule "${name}" field "matchers"`);
  const reduce = spec.reduce ?? "last";
  if (!REDUCTIONS.includes(reduce)) fail(name, "reduce", `unknown reduction "${reduce}"`, reduce);
  const windowMs =
    spec.window === undefined ? 0 : parseDuration(spec.window, `rule "${name}" field "window"`);
  if (reduce !== "last" && windowMs <= 0)
    fail(name, "window", `reduction "${reduce}" needs a window > 0`, spec.window);
  const cond = checkCondition(name, "op", spec.op, spec.threshold);
  const clear =
    spec.clear === undefined
      ? undefined
      : checkCondition(
          name,
          "clear",
          (spec.clear as ConditionSpec).op,
          (spec.clear as ConditionSpec).threshold,
        );
  const fires = compare(cond.op, cond.threshold);
  const clearFn = clear ? compare(clear.op, clear.threshold) : (v: number) => !fires(v);
  if (clear) {
    // A clear condition that overlaps the fire condition would fire and clear on the same value.
    const a = clear.threshold;
    const b = cond.threshold;
    const probe = [a, b, (a + b) / 2, a - 1, a + 1, b - 1, b + 1, -1e300, 1e300];
    if (probe.some((v) => fires(v) && clearFn(v))) {
      fail(
        name,
        "clear",
        `clear condition ${clear.op} ${clear.threshold} overlaps ${cond.op} ${cond.threshold}`,
        clear,
      );
    }
  }
  const severity = spec.severity ?? "warning";
  if (!SEVERITIES.includes(severity)) fail(name, "severity", `unknown severity "${severity}"`, severity);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.labels ?? {})) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) || RESERVED_LABELS.has(k))
      fail(name, "labels", `invalid label "${k}"`, k);
    if (typeof v !== "string") fail(name, "labels", `label "${k}" must be a string`, v);
    labels[k] = v;
  }
  const declared = spec.labelNames ?? options.labelNamesOf?.(metric) ?? [];
  if (!Array.isArray(declared)) fail(name, "labelNames", "must be a list of label names", declared);
  const allowed = new Set<string>([...declared, ...matchers.map((m) => m.name)]);
  const annotations: Record<string, CompiledTemplate> = {};
  const annotationSources: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.annotations ?? {})) {
    annotations[k] = compileTemplate(v, `rule "${name}" field "annotations.${k}"`, allowed);
    annotationSources[k] = v;
  }
  const policy = (field: "noData" | "onError", dflt: OutcomePolicy): OutcomePolicy => {
    const p = spec[field] ?? dflt;
    if (!POLICIES.includes(p)) fail(name, field, `unknown policy "${p}"`, p);
    return p;
  };
  const flapMax = spec.flap?.maxTransitions ?? 6;
  if (!Number.isInteger(flapMax) || flapMax < 2)
    fail(name, "flap.maxTransitions", "must be an integer >= 2", flapMax);
  return {
    id: `${name}:${severity}`,
    name,
    metric,
    matchers,
    reduce,
    windowMs,
    op: cond.op,
    threshold: cond.threshold,
    clear,
    fires,
    clears: clearFn,
    forMs: spec.for === undefined ? 0 : parseDuration(spec.for, `rule "${name}" field "for"`),
    keepFiringForMs:
      spec.keepFiringFor === undefined
        ? 0
        : parseDuration(spec.keepFiringFor, `rule "${name}" field "keepFiringFor"`),
    severity,
    labels,
    annotations,
    annotationSources,
    noData: policy("noData", "ok"),
    onError: policy("onError", "error"),
    missingGraceMs:
      spec.missingGrace === undefined
        ? 120_000
        : parseDuration(spec.missingGrace, `rule "${name}" field "missingGrace"`),
    flapWindowMs:
      spec.flap?.window === undefined
        ? 3_600_000
        : parseDuration(spec.flap.window, `rule "${name}" field "flap.window"`),
    flapMaxTransitions: flapMax,
  };
}

/**
 * Parses a list of rules (or `{ rules: [...] }`). Throws HR_CONFIG at the first bad rule, naming
 * it and the field; a name may repeat only with another severity, since name and severity identify
 * a rule's state.
 */
export function parseRules(input: unknown, options: ParseRulesOptions = {}): AlertRule[] {
  const list = Array.isArray(input) ? input : (input as { rules?: unknown })?.rules;
  if (!Array.isArray(list)) {
    throw new HeadroomError(
      ErrorCode.Config,
      "[alerts] rules must be a list (or an object with a `rules` list)",
      {
        data: { value: input },
      },
    );
  }
  const seen = new Set<string>();
  return list.map((r) => {
    const rule = parseRule(r, options);
    if (seen.has(rule.id))
      fail(rule.name, "name", `duplicate rule (name and severity "${rule.severity}")`, rule.name);
    seen.add(rule.id);
    return rule;
  });
}
