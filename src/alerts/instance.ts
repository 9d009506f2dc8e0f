/**
 * One alert instance as the engine holds it (a rule and one series), and the conversions the
 * engine needs: a stable key for a label set, and the `Alert` handed to the notifier.
 */
import type { Labels } from "../metrics/snapshot.js";
import { type Alert, fingerprint } from "./alert.js";
import type { AlertRule } from "./rule.js";
import { type InstanceState, initialState, isNotifying, type NotifyKind } from "./state-machine.js";
import { SeriesWindow } from "./window.js";

export interface Instance {
  readonly rule: AlertRule;
  readonly seriesLabels: Labels;
  readonly alertLabels: Labels;
  readonly fingerprint: string;
  st: InstanceState;
  notified: "firing" | "resolved" | "";
  window: SeriesWindow | undefined;
  epoch: number;
  /** The rule-level no-data instance (no series matched at all). */
  readonly synthetic: boolean;
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const keyCache = new WeakMap<object, string>();
export function labelsKey(labels: Labels): string {
  let k = keyCache.get(labels);
  if (k === undefined) {
    k = JSON.stringify(
      Object.keys(labels)
        .sort()
        .map((n) => [n, labels[n]]),
    );
    if (Object.isFrozen(labels)) keyCache.set(labels, k);
  }
  return k;
}

export function makeInstance(
  rule: AlertRule,
  seriesLabels: Labels,
  now: number,
  synthetic: boolean,
): Instance {
  const alertLabels = Object.freeze({
    ...seriesLabels,
    ...rule.labels,
    alertname: rule.name,
    severity: rule.severity,
  });
  return {
    rule,
    seriesLabels,
    alertLabels,
    fingerprint: fingerprint(alertLabels),
    st: initialState(now),
    notified: "",
    window: rule.reduce === "last" ? undefined : new SeriesWindow(),
    epoch: 0,
    synthetic,
  };
}

export function toAlert(inst: Instance, kind: NotifyKind, now: number): Alert {
  const { rule, st } = inst;
  const ctx = {
    value: st.value,
    labels: inst.seriesLabels,
    threshold: rule.threshold,
    rule: rule.name,
    severity: rule.severity,
  };
  const annotations: Record<string, string> = {};
  for (const [k, t] of Object.entries(rule.annotations)) annotations[k] = t(ctx);
  if (st.error) annotations.error = st.error;
  const firing = isNotifying(st.state);
  return {
    fingerprint: inst.fingerprint,
    status: firing ? "firing" : "resolved",
    state: firing ? (st.state as Alert["state"]) : "resolved",
    labels: inst.alertLabels,
    annotations,
    rule: rule.name,
    severity: rule.severity,
    value: st.value,
    threshold: rule.threshold,
    startsAtMs: st.firedAtMs || st.activeAtMs || now,
    endsAtMs: firing ? 0 : st.resolvedAtMs || now,
    flapping: st.flapping || kind === "flapping",
  };
}
