/**
 * Series identity and the limits every store enforces when a series is first seen. Checking
 * here, once per series, keeps `append` free of validation.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { Labels } from "../metrics/snapshot.js";

/** More labels than this is a cardinality accident, not a series (Prometheus' default limit is unbounded; Mimir uses 30). */
export const MAX_LABELS = 64;
export const MAX_NAME_LENGTH = 512;
export const MAX_LABEL_VALUE_LENGTH = 4096;

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** `name{a="1",b="2"}` with labels sorted by name, or just `name` without labels. */
export function seriesKey(name: string, labels: Labels = {}): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return name;
  keys.sort();
  let out = `${name}{`;
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ",";
    out += `${keys[i]}="${escapeValue(labels[keys[i]])}"`;
  }
  return `${out}}`;
}

/** A frozen copy of `labels` with keys in sorted order. */
export function sortedLabels(labels: Labels = {}): Labels {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) out[k] = labels[k];
  return Object.freeze(out);
}

/** Throws HR_INVALID_NAME / HR_INVALID_LABEL when the series cannot be stored. */
export function validateSeries(name: string, labels: Labels = {}): void {
  if (typeof name !== "string" || name.length > MAX_NAME_LENGTH || !NAME_RE.test(name)) {
    throw new HeadroomError(
      ErrorCode.InvalidName,
      `[history] invalid metric name "${String(name).slice(0, 80)}"`,
      {
        data: { name },
      },
    );
  }
  const keys = Object.keys(labels);
  if (keys.length > MAX_LABELS) {
    throw new HeadroomError(
      ErrorCode.InvalidLabel,
      `[history] series "${name}" has ${keys.length} labels; at most ${MAX_LABELS} are allowed`,
      { data: { name, labelCount: keys.length, limit: MAX_LABELS } },
    );
  }
  for (const k of keys) {
    const v = labels[k];
    if (!LABEL_RE.test(k) || k.startsWith("__")) {
      throw new HeadroomError(
        ErrorCode.InvalidLabel,
        `[history] series "${name}" has invalid label name "${k}"`,
        {
          data: { name, label: k },
        },
      );
    }
    if (typeof v !== "string" || v.length > MAX_LABEL_VALUE_LENGTH) {
      throw new HeadroomError(
        ErrorCode.InvalidLabel,
        `[history] series "${name}" label "${k}" value is not a string of at most ${MAX_LABEL_VALUE_LENGTH} chars`,
        { data: { name, label: k } },
      );
    }
  }
}

/** True when every label in `match` is present with the same value. */
export function labelsInclude(labels: Labels, match: Labels | undefined): boolean {
  if (!match) return true;
  for (const k of Object.keys(match)) if (labels[k] !== match[k]) return false;
  return true;
}
