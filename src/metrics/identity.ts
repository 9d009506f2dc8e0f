/**
 * Metric identity (seed 001's MetricId: namespace + name + labels) and the validation of names
 * and labels against the Prometheus data model. Everything here runs when a metric or a series
 * is defined, never on the hot path.
 */
import { ErrorCode, HeadroomError } from "../errors.js";

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Labels the exposition formats give a meaning of their own. */
const RESERVED_LABELS = new Set(["le", "quantile"]);

export interface MetricId {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** `namespace_name`, or `name` when there is no namespace. */
export function fullName(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}_${name}` : name;
}

export function validateMetricName(name: string): void {
  if (typeof name !== "string" || !METRIC_NAME.test(name)) {
    throw new HeadroomError(
      ErrorCode.InvalidName,
      `[metrics] invalid metric name ${JSON.stringify(name)}: must match ${METRIC_NAME.source}`,
      { data: { name } },
    );
  }
}

export function validateLabelNames(
  metric: string,
  labelNames: readonly string[],
  extraReserved: string[] = [],
) {
  const seen = new Set<string>();
  for (const label of labelNames) {
    if (typeof label !== "string" || !LABEL_NAME.test(label) || label.startsWith("__")) {
      throw new HeadroomError(
        ErrorCode.InvalidLabel,
        `[metrics] ${metric}: invalid label name ${JSON.stringify(label)}: must match ${LABEL_NAME.source} and not start with "__"`,
        { data: { metric, label } },
      );
    }
    if (RESERVED_LABELS.has(label) || extraReserved.includes(label)) {
      throw new HeadroomError(
        ErrorCode.InvalidLabel,
        `[metrics] ${metric}: label name "${label}" is reserved`,
        {
          data: { metric, label },
        },
      );
    }
    if (seen.has(label)) {
      throw new HeadroomError(
        ErrorCode.InvalidLabel,
        `[metrics] ${metric}: label name "${label}" declared twice`,
        {
          data: { metric, label },
        },
      );
    }
    seen.add(label);
  }
}

/**
 * Checks a label set against the declared names: every declared label present, no other, each
 * value a string (numbers and booleans are converted) without NUL. Returns the values in
 * declaration order.
 */
export function labelValuesOf(
  metric: string,
  labelNames: readonly string[],
  labels: Readonly<Record<string, unknown>> | undefined,
): string[] {
  const given = labels ?? {};
  const values: string[] = [];
  for (const name of labelNames) {
    const value = given[name];
    if (value === undefined || value === null) {
      throw new HeadroomError(ErrorCode.InvalidLabel, `[metrics] ${metric}: missing label "${name}"`, {
        data: { metric, label: name },
      });
    }
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new HeadroomError(
        ErrorCode.InvalidLabel,
        `[metrics] ${metric}: label "${name}" must be a string`,
        {
          data: { metric, label: name },
        },
      );
    }
    const text = String(value);
    // NUL separates values in series keys (see seriesKey), so it cannot be part of one.
    if (text.includes("\u0000")) {
      throw new HeadroomError(ErrorCode.InvalidLabel, `[metrics] ${metric}: label "${name}" contains NUL`, {
        data: { metric, label: name },
      });
    }
    values.push(text);
  }
  for (const name of Object.keys(given)) {
    if (!labelNames.includes(name)) {
      throw new HeadroomError(
        ErrorCode.InvalidLabel,
        `[metrics] ${metric}: unexpected label "${name}" (declared: ${labelNames.join(", ") || "none"})`,
        { data: { metric, label: name } },
      );
    }
  }
  return values;
}

/**
 * The key of a series inside its metric: label values in declaration order joined by NUL.
 * Stored values never contain NUL, so a key with more separators than declared labels never
 * equals a stored key, and the mapping stays one-to-one.
 */
export function seriesKey(labelNames: readonly string[], labels: Readonly<Record<string, unknown>>): string {
  switch (labelNames.length) {
    case 0:
      return "";
    case 1:
      return `${labels[labelNames[0]]}`;
    case 2:
      return `${labels[labelNames[0]]}\u0000${labels[labelNames[1]]}`;
    case 3:
      return `${labels[labelNames[0]]}\u0000${labels[labelNames[1]]}\u0000${labels[labelNames[2]]}`;
    default: {
      let key = `${labels[labelNames[0]]}`;
      for (let i = 1; i < labelNames.length; i++) key += `\u0000${labels[labelNames[i]]}`;
      return key;
    }
  }
}
