/**
 * Query-parameter parsing for the HTTP API. Pure functions: each returns the parsed value or
 * throws a HeadroomError `HR_INVALID_ARGUMENT` naming the parameter, which the app turns into
 * a 400 with a JSON body.
 */
import { ErrorCode, HeadroomError } from "../errors.js";

/** The widest range one query may cover (history keeps 30 days of rollups by default). */
export const MAX_RANGE_MS = 400 * 86_400_000;
export const MAX_POINTS = 5000;
export const DEFAULT_POINTS = 300;

function bad(param: string, message: string, value: unknown): never {
  throw new HeadroomError(ErrorCode.InvalidArgument, `[server] ${param}: ${message}`, {
    data: { param, value },
  });
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;

export interface ParsedSelector {
  readonly name: string;
  readonly labels: Record<string, string>;
}

/** `node_load1` or `node_cpu_seconds_total{cpu="0",mode="idle"}` (PromQL's selector syntax, `=` only). */
export function parseSelector(param: string, text: string | undefined): ParsedSelector {
  if (text === undefined || text === "") bad(param, 'required, e.g. node_load1 or name{label="value"}', text);
  if (text.length > 2048) bad(param, "longer than 2048 characters", text.slice(0, 64));
  const brace = text.indexOf("{");
  const name = brace < 0 ? text : text.slice(0, brace);
  if (!NAME.test(name)) bad(param, `"${name}" is not a metric name`, text);
  const labels: Record<string, string> = {};
  if (brace >= 0) {
    if (!text.endsWith("}")) bad(param, "missing closing }", text);
    const body = text.slice(brace + 1, -1);
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < body.length) {
      const at = LABEL.lastIndex;
      const m = LABEL.exec(body);
      if (!m || m.index !== at) bad(param, `cannot read labels at "${body.slice(at, at + 20)}"`, text);
      labels[m[1]] = m[2].replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
      if (m[3] === "") break;
    }
  }
  return { name, labels };
}

/**
 * A point in time: milliseconds since the epoch, an ISO 8601 date, `now`, or `now-15m` / `-15m`
 * (relative to `nowMs`).
 */
export function parseTime(param: string, text: string | undefined, fallback: number, nowMs: number): number {
  if (text === undefined || text === "") return fallback;
  if (text === "now") return nowMs;
  const rel = /^(?:now)?-(\d+)(ms|s|m|h|d|w)$/.exec(text);
  if (rel) {
    const unit = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 }[rel[2] as "s"];
    return nowMs - Number(rel[1]) * unit;
  }
  if (/^\d{1,16}$/.test(text)) return Number(text);
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return ms;
  }
  return bad(
    param,
    `expected ms since the epoch, an ISO date, "now" or "-15m", got "${text.slice(0, 64)}"`,
    text,
  );
}

export interface ParsedRange {
  readonly startMs: number;
  readonly endMs: number;
}

/** `from`/`to` with defaults (the last hour), checked for order and for a range history can answer. */
export function parseRange(from: string | undefined, to: string | undefined, nowMs: number): ParsedRange {
  const endMs = parseTime("to", to, nowMs, nowMs);
  const startMs = parseTime("from", from, endMs - 3_600_000, nowMs);
  if (startMs >= endMs) bad("from", "must be before to", { from, to });
  if (endMs - startMs > MAX_RANGE_MS) bad("from", "range is wider than 400 days", { from, to });
  return { startMs, endMs };
}

/** A positive integer within [min, max], or `fallback` when absent. */
export function parseIntParam(
  param: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined || text === "") return fallback;
  if (!/^\d{1,9}$/.test(text)) bad(param, `expected an integer, got "${text.slice(0, 64)}"`, text);
  const n = Number(text);
  if (n < min || n > max) bad(param, `expected ${min} to ${max}, got ${n}`, n);
  return n;
}
