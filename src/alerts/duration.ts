/**
 * Durations in rules and routes: a number of milliseconds, or a Prometheus-style string
 * (`90s`, `5m`, `1h30m`, `500ms`). Parsed once when a rule or route is loaded.
 */
import { ErrorCode, HeadroomError } from "../errors.js";

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;

/**
 * Parses `value` into milliseconds. `where` names the rule and field for the error message
 * (`rule "HighCpu" field "for"`). Throws HR_CONFIG on a negative, non-finite or malformed value.
 */
export function parseDuration(value: unknown, where: string): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) {
      throw new HeadroomError(ErrorCode.Config, `[alerts] ${where}: duration must be >= 0, got ${value}`, {
        data: { value },
      });
    }
    return value;
  }
  if (typeof value !== "string" || value.length === 0) {
    throw new HeadroomError(
      ErrorCode.Config,
      `[alerts] ${where}: expected a duration like "5m", got ${String(value)}`,
      {
        data: { value },
      },
    );
  }
  if (value.startsWith("-")) {
    throw new HeadroomError(
      ErrorCode.Config,
      `[alerts] ${where}: duration must not be negative ("${value}")`,
      {
        data: { value },
      },
    );
  }
  const ms = durationMs(value);
  if (ms === undefined) {
    throw new HeadroomError(ErrorCode.Config, `[alerts] ${where}: malformed duration "${value}"`, {
      data: { value },
    });
  }
  return ms;
}

/**
 * Milliseconds in a duration string (`500ms`, `90s`, `1h30m`, `0`), or undefined when it is
 * not one. Never throws; the agent's config parser builds on it.
 */
export function durationMs(text: string): number | undefined {
  if (text === "0") return 0;
  if (text.length === 0) return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = PART.exec(text); m !== null; m = PART.exec(text)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    consumed = PART.lastIndex;
  }
  return consumed === text.length ? total : undefined;
}

/** Formats milliseconds the way Prometheus rule files write durations (`1h30m`, `90s`, `500ms`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = Math.round(ms);
  let out = "";
  for (const [unit, size] of [
    ["w", UNIT_MS.w],
    ["d", UNIT_MS.d],
    ["h", UNIT_MS.h],
    ["m", UNIT_MS.m],
    ["s", UNIT_MS.s],
  ] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  if (rest > 0) out += `${rest}ms`;
  return out;
}
