/**
 * The alert state machine as a pure function of (previous state, evaluation outcome, time, rule).
 * Prometheus semantics (pending never notifies; a re-trigger after resolve restarts `for`;
 * `keepFiringFor` delays resolve), plus hysteresis (a firing alert resolves only on the rule's
 * clear condition), explicit no-data and error outcomes with a per-rule policy, a missing-series
 * grace period so a scrape gap is not a recovery, and flap detection.
 */
import type { AlertRule, OutcomePolicy } from "./rule.js";

export type AlertState = "inactive" | "pending" | "firing" | "resolved" | "nodata" | "error";

export interface InstanceState {
  readonly state: AlertState;
  /** Start of the current pending/firing episode (ms), 0 when none. */
  readonly activeAtMs: number;
  readonly firedAtMs: number;
  readonly resolvedAtMs: number;
  /** Last evaluation at which the condition held, for `keepFiringFor`. */
  readonly lastActiveMs: number;
  /** Last evaluation that had data for the series, for the missing-series grace. */
  readonly lastSeenMs: number;
  readonly value: number;
  /** Times of notified transitions inside the rule's flap window. */
  readonly flapTimes: readonly number[];
  readonly flapping: boolean;
  readonly error?: string;
}

export type EvalOutcome =
  | { readonly kind: "value"; readonly value: number }
  | { readonly kind: "missing" }
  /** The condition is known not to hold (the rule-level no-data instance once series appear). */
  | { readonly kind: "clear" }
  | { readonly kind: "error"; readonly message: string };

/** What the notifier should hear about a step: nothing, or the instance's new notifying state. */
export type NotifyKind = "firing" | "resolved" | "nodata" | "error" | "flapping";

export interface StepResult {
  readonly state: InstanceState;
  /** Set when this step changes what receivers were told. */
  readonly notify: NotifyKind | undefined;
}

export function initialState(nowMs: number): InstanceState {
  return {
    state: "inactive",
    activeAtMs: 0,
    firedAtMs: 0,
    resolvedAtMs: 0,
    lastActiveMs: 0,
    lastSeenMs: nowMs,
    value: Number.NaN,
    flapTimes: [],
    flapping: false,
  };
}

/** True for states that receivers have been told about and must hear the end of. */
export function isNotifying(state: AlertState): boolean {
  return state === "firing" || state === "nodata" || state === "error";
}

function step(s: InstanceState, active: boolean, now: number, rule: AlertRule): StepResult {
  const lastActiveMs = active ? now : s.lastActiveMs;
  switch (s.state) {
    case "pending":
      if (!active)
        return { state: { ...s, state: "inactive", activeAtMs: 0, lastActiveMs }, notify: undefined };
      if (now - s.activeAtMs >= rule.forMs) {
        return { state: { ...s, state: "firing", firedAtMs: now, lastActiveMs }, notify: "firing" };
      }
      return { state: { ...s, lastActiveMs }, notify: undefined };
    case "firing":
      if (active || (rule.keepFiringForMs > 0 && now - s.lastActiveMs < rule.keepFiringForMs)) {
        return { state: { ...s, lastActiveMs }, notify: undefined };
      }
      return {
        state: { ...s, state: "resolved", resolvedAtMs: now, activeAtMs: 0, lastActiveMs },
        notify: "resolved",
      };
    default: {
      // inactive, resolved, nodata, error: a new episode starts `for` from zero.
      if (active) {
        if (rule.forMs === 0) {
          return {
            state: { ...s, state: "firing", activeAtMs: now, firedAtMs: now, lastActiveMs, error: undefined },
            notify: "firing",
          };
        }
        return {
          state: { ...s, state: "pending", activeAtMs: now, lastActiveMs, error: undefined },
          notify: undefined,
        };
      }
      if (s.state === "nodata" || s.state === "error") {
        return {
          state: { ...s, state: "resolved", resolvedAtMs: now, activeAtMs: 0, error: undefined },
          notify: "resolved",
        };
      }
      return { state: s.lastActiveMs === lastActiveMs ? s : { ...s, lastActiveMs }, notify: undefined };
    }
  }
}

function applyPolicy(
  s: InstanceState,
  policy: OutcomePolicy,
  now: number,
  rule: AlertRule,
  message?: string,
): StepResult {
  switch (policy) {
    case "keep-last":
      return { state: s, notify: undefined };
    case "alerting":
      return step(s, true, now, rule);
    case "ok":
      return step(s, false, now, rule);
    default: {
      const target = policy === "nodata" ? "nodata" : "error";
      if (s.state === target)
        return { state: message === s.error ? s : { ...s, error: message }, notify: undefined };
      return {
        state: { ...s, state: target, activeAtMs: s.activeAtMs || now, error: message },
        notify: target,
      };
    }
  }
}

function flap(prev: InstanceState, r: StepResult, now: number, rule: AlertRule): StepResult {
  let times = prev.flapTimes;
  const cutoff = now - rule.flapWindowMs;
  if (times.length > 0 && times[0] < cutoff) times = times.filter((t) => t >= cutoff);
  if (r.notify) times = [...times, now];
  let { notify } = r;
  let flapping = prev.flapping;
  if (!flapping && times.length >= rule.flapMaxTransitions) {
    flapping = true;
    notify = "flapping";
  } else if (flapping) {
    if (times.length <= rule.flapMaxTransitions >> 1) {
      // Calm again: tell receivers where the alert settled, once.
      flapping = false;
      notify = isNotifying(r.state.state) ? (r.state.state as NotifyKind) : "resolved";
    } else {
      notify = undefined;
    }
  }
  if (times === prev.flapTimes && flapping === prev.flapping && r.state.flapTimes === times) {
    return { state: r.state, notify };
  }
  return { state: { ...r.state, flapTimes: times, flapping }, notify };
}

/**
 * The next state of one alert instance. Pure: the same inputs give the same output, which is
 * what lets state persist across restarts and be tested without a clock.
 */
export function nextState(
  prev: InstanceState,
  outcome: EvalOutcome,
  nowMs: number,
  rule: AlertRule,
): StepResult {
  let r: StepResult;
  if (outcome.kind === "value") {
    const v = outcome.value;
    const active = prev.state === "firing" ? !rule.clears(v) : rule.fires(v);
    const seen = { ...prev, lastSeenMs: nowMs, value: v };
    r = step(seen, active, nowMs, rule);
  } else if (outcome.kind === "missing") {
    if (nowMs - prev.lastSeenMs < rule.missingGraceMs) return { state: prev, notify: undefined };
    r = applyPolicy(prev, rule.noData, nowMs, rule, "no data");
  } else if (outcome.kind === "clear") {
    r = applyPolicy(prev, "ok", nowMs, rule);
  } else {
    r = applyPolicy(prev, rule.onError, nowMs, rule, outcome.message);
  }
  return flap(prev, r, nowMs, rule);
}
