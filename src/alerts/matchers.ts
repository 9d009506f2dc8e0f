/**
 * Label matchers (`=`, `!=`, `=~`, `!~`) with Prometheus semantics: regexes are fully anchored,
 * and a missing label reads as "". Used by rule selectors, silences and inhibition rules.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { Labels } from "../metrics/snapshot.js";

export const MatchOp = { Equal: "=", NotEqual: "!=", Regex: "=~", NotRegex: "!~" } as const;
export type MatchOp = (typeof MatchOp)[keyof typeof MatchOp];

export interface LabelMatcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
}

/** A matcher compiled once; `test` is the hot-path check. */
export interface CompiledMatcher extends LabelMatcher {
  test(labels: Labels): boolean;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const OPS: readonly string[] = ["=", "!=", "=~", "!~"];

/** Compiles one matcher; throws HR_CONFIG naming `where` on a bad name, operator or regex. */
export function compileMatcher(m: LabelMatcher, where: string): CompiledMatcher {
  if (typeof m?.name !== "string" || !LABEL_NAME.test(m.name)) {
    throw new HeadroomError(ErrorCode.Config, `[alerts] ${where}: invalid label name "${m?.name}"`, {
      data: { matcher: m },
    });
  }
  if (!OPS.includes(m.op)) {
    throw new HeadroomError(
      ErrorCode.Config,
      `[alerts] ${where}: unknown matcher operator "${m.op}" for "${m.name}"`,
      {
        data: { matcher: m },
      },
    );
  }
  if (typeof m.value !== "string") {
    throw new HeadroomError(
      ErrorCode.Config,
      `[alerts] ${where}: matcher value for "${m.name}" must be a string`,
      {
        data: { matcher: m },
      },
    );
  }
  const { name, op, value } = m;
  if (op === "=") return { name, op, value, test: (l) => (l[name] ?? "") === value };
  if (op === "!=") return { name, op, value, test: (l) => (l[name] ?? "") !== value };
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${value})$`);
  } catch (cause) {
    throw new HeadroomError(ErrorCode.Config, `[alerts] ${where}: bad regex for "${name}": ${value}`, {
      data: { matcher: m },
      cause,
    });
  }
  if (op === "=~") return { name, op, value, test: (l) => re.test(l[name] ?? "") };
  return { name, op, value, test: (l) => !re.test(l[name] ?? "") };
}

export function compileMatchers(ms: readonly LabelMatcher[], where: string): CompiledMatcher[] {
  if (!Array.isArray(ms)) {
    throw new HeadroomError(ErrorCode.Config, `[alerts] ${where}: matchers must be a list`, {
      data: { matchers: ms },
    });
  }
  return ms.map((m) => compileMatcher(m, where));
}

export function matchesAll(ms: readonly CompiledMatcher[], labels: Labels): boolean {
  for (const m of ms) if (!m.test(labels)) return false;
  return true;
}

const SELECTOR = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(?:\{(.*)\})?\s*$/s;
const MATCHER = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

/**
 * Parses a PromQL-style selector: `node_load1`, `node_filesystem_avail_bytes{fstype!="tmpfs",mountpoint=~"/|/home"}`
 * or a bare `{severity="critical"}`. Throws HR_CONFIG naming `where` and the text that does not parse.
 */
export function parseSelector(text: string, where: string): { metric: string; matchers: LabelMatcher[] } {
  const m = typeof text === "string" ? SELECTOR.exec(text) : null;
  if (!m)
    throw new HeadroomError(ErrorCode.Config, `[alerts] ${where}: malformed selector "${text}"`, {
      data: { text },
    });
  const metric = m[1] ?? "";
  const body = (m[2] ?? "").trim();
  const matchers: LabelMatcher[] = [];
  MATCHER.lastIndex = 0;
  while (MATCHER.lastIndex < body.length) {
    const at = MATCHER.lastIndex;
    const mm = MATCHER.exec(body);
    if (!mm) {
      throw new HeadroomError(
        ErrorCode.Config,
        `[alerts] ${where}: malformed matcher "${body.slice(at)}" in "${text}"`,
        {
          data: { text },
        },
      );
    }
    matchers.push({ name: mm[1], op: mm[2] as MatchOp, value: JSON.parse(`"${mm[3]}"`) as string });
  }
  return { metric, matchers };
}

/** Renders matchers back to PromQL (`{a="b",c=~"d"}`), or "" when there are none. */
export function formatMatchers(ms: readonly LabelMatcher[]): string {
  if (ms.length === 0) return "";
  return `{${ms.map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`).join(",")}}`;
}
