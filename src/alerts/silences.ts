/**
 * Silences: matchers plus a time range, a creator and a comment, as in Alertmanager. Alerts a
 * silence matches while it is active are left out of notifications. The HTTP API adds, lists and
 * expires them through this object; the engine persists them with the rest of the alert state.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { Labels } from "../metrics/snapshot.js";
import { type CompiledMatcher, compileMatchers, type LabelMatcher, matchesAll } from "./matchers.js";

export type SilenceState = "pending" | "active" | "expired";

export interface Silence {
  readonly id: string;
  readonly matchers: readonly LabelMatcher[];
  readonly startsAtMs: number;
  readonly endsAtMs: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly createdAtMs: number;
}

export interface SilenceInput {
  matchers: LabelMatcher[];
  /** Default: now. */
  startsAtMs?: number;
  endsAtMs: number;
  createdBy: string;
  comment: string;
}

export interface Silences {
  /** Validates and stores a silence; throws HR_INVALID_ARGUMENT naming the bad field. Returns it with its id. */
  add(input: SilenceInput): Silence;
  /** All silences (expired ones too, until they age out), each with its state at `now`. */
  list(filter?: { state?: SilenceState }): (Silence & { state: SilenceState })[];
  /** Ends a silence now; throws HR_NOT_FOUND for an unknown id. */
  expire(id: string): Silence;
  /** True when an active silence matches `labels`. Called by the notifier on every flush. */
  isSilenced(labels: Labels, nowMs: number): boolean;
  /** For the state store. */
  exportAll(): Silence[];
  importAll(silences: readonly Silence[]): void;
  /** Bumped on every change, so the engine knows when to save. */
  readonly version: () => number;
}

function invalid(field: string, what: string, value: unknown): never {
  throw new HeadroomError(ErrorCode.InvalidArgument, `[alerts:silences] field "${field}": ${what}`, {
    data: { field, value },
  });
}

/** Expired silences are kept this long so the API can still show them. */
const RETAIN_EXPIRED_MS = 5 * 86_400_000;

export function createSilences(options: { now?: () => number; newId?: () => string } = {}): Silences {
  const now = options.now ?? Date.now;
  let counter = 0;
  const newId = options.newId ?? (() => `${now().toString(36)}-${(++counter).toString(36)}`);
  const all = new Map<string, { silence: Silence; compiled: CompiledMatcher[] }>();
  let version = 0;

  const stateOf = (s: Silence, t: number): SilenceState =>
    t < s.startsAtMs ? "pending" : t < s.endsAtMs ? "active" : "expired";
  const prune = (t: number) => {
    for (const [id, e] of all) if (e.silence.endsAtMs + RETAIN_EXPIRED_MS < t) all.delete(id);
  };

  const put = (s: Silence) => {
    all.set(s.id, { silence: s, compiled: compileMatchers(s.matchers, `silence "${s.id}"`) });
  };

  return {
    add(input) {
      if (!Array.isArray(input?.matchers) || input.matchers.length === 0) {
        invalid("matchers", "at least one matcher is required", input?.matchers);
      }
      let compiled: CompiledMatcher[];
      try {
        compiled = compileMatchers(input.matchers, "silence");
      } catch (cause) {
        throw new HeadroomError(
          ErrorCode.InvalidArgument,
          `[alerts:silences] field "matchers": ${(cause as Error).message}`,
          {
            data: { field: "matchers", value: input.matchers },
            cause,
          },
        );
      }
      if (compiled.every((m) => m.test({})))
        invalid("matchers", "matchers must not match every alert", input.matchers);
      const t = now();
      const startsAtMs = input.startsAtMs ?? t;
      if (!Number.isFinite(startsAtMs)) invalid("startsAtMs", "must be a time in ms", input.startsAtMs);
      if (!Number.isFinite(input.endsAtMs) || input.endsAtMs <= startsAtMs) {
        invalid("endsAtMs", "must be after startsAtMs", input.endsAtMs);
      }
      if (typeof input.createdBy !== "string" || input.createdBy.trim() === "") {
        invalid("createdBy", "required", input.createdBy);
      }
      if (typeof input.comment !== "string" || input.comment.trim() === "")
        invalid("comment", "required", input.comment);
      const silence: Silence = {
        id: newId(),
        matchers: input.matchers.map(({ name, op, value }) => ({ name, op, value })),
        startsAtMs,
        endsAtMs: input.endsAtMs,
        createdBy: input.createdBy,
        comment: input.comment,
        createdAtMs: t,
      };
      all.set(silence.id, { silence, compiled });
      version++;
      prune(t);
      return silence;
    },
    list(filter = {}) {
      const t = now();
      const out: (Silence & { state: SilenceState })[] = [];
      for (const { silence } of all.values()) {
        const state = stateOf(silence, t);
        if (!filter.state || filter.state === state) out.push({ ...silence, state });
      }
      return out.sort((a, b) => a.startsAtMs - b.startsAtMs);
    },
    expire(id) {
      const e = all.get(id);
      if (!e) {
        throw new HeadroomError(ErrorCode.NotFound, `[alerts:silences] no silence with id "${id}"`, {
          data: { id },
        });
      }
      const t = now();
      if (e.silence.endsAtMs <= t) return e.silence;
      const silence = { ...e.silence, endsAtMs: Math.max(t, e.silence.startsAtMs) };
      all.set(id, { silence, compiled: e.compiled });
      version++;
      return silence;
    },
    isSilenced(labels, nowMs) {
      for (const { silence, compiled } of all.values()) {
        if (nowMs >= silence.startsAtMs && nowMs < silence.endsAtMs && matchesAll(compiled, labels))
          return true;
      }
      return false;
    },
    exportAll: () => [...all.values()].map((e) => e.silence),
    importAll(silences) {
      for (const s of silences) put(s);
      version++;
    },
    version: () => version,
  };
}
