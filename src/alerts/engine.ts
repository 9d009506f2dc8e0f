/**
 * The alert engine: evaluates every rule over a `MetricsSnapshot`, steps each instance through
 * the state machine, hands notifying changes to the notifier, and saves state when it changed.
 * Evaluation never waits on a channel, and a failing state store is reported, not fatal.
 */
import { ErrorCode, errorMessage, HeadroomError } from "../errors.js";
import type { Labels, MetricFamily, MetricsSnapshot } from "../metrics/snapshot.js";
import type { Alert } from "./alert.js";
import { type Instance, labelsKey, type Mutable, makeInstance, toAlert } from "./instance.js";
import { matchesAll } from "./matchers.js";
import type { Notifier } from "./notifier.js";
import { type AlertRule, type AlertRuleSpec, parseRules } from "./rule.js";
import {
  type AlertState,
  type EvalOutcome,
  type InstanceState,
  isNotifying,
  type NotifyKind,
  nextState,
} from "./state-machine.js";
import type { AlertStateStore, PersistedAlertState, PersistedInstance } from "./state-store.js";
import { type HistoryQuery, reduce } from "./window.js";

export interface AlertEngineOptions {
  /** Compiled rules (`parseRules`) or specs, compiled here. */
  rules: readonly AlertRule[] | readonly AlertRuleSpec[];
  /** Receives notifying changes after each evaluation and is ticked with the snapshot's time. */
  notifier?: Notifier;
  /** Loaded by `load()`, saved after evaluations that changed persisted state; none: memory only. */
  stateStore?: AlertStateStore;
  /** Recent samples for windowed rules; without it the engine keeps its own per-series window. */
  history?: HistoryQuery;
  /** The clock for snapshots without a timestamp and for saved state (default `Date.now`). */
  now?: () => number;
  /** Storage failures and other problems that must not stop evaluation. */
  onError?: (err: HeadroomError) => void;
}

/** One alert instance as the API and dashboard list it. */
export interface AlertInstanceView {
  readonly rule: string;
  readonly severity: string;
  /** Series labels plus the rule's labels, `alertname` and `severity`. */
  readonly labels: Labels;
  readonly fingerprint: string;
  readonly state: AlertState;
  /** The last evaluated value (NaN before the first). */
  readonly value: number;
  /** Start of the current pending/firing episode (ms), 0 when none. */
  readonly activeAtMs: number;
  readonly flapping: boolean;
  /** Why the instance is in the error or no-data state. */
  readonly error?: string;
}

export interface EvaluationResult {
  /** The snapshot's time, which the evaluation used as "now". */
  readonly timestampMs: number;
  /** Instances evaluated. */
  readonly evaluated: number;
  /** Instances firing (or in an announced no-data / error state) after this evaluation. */
  readonly firing: number;
  /** Alerts handed to the notifier (state changes receivers hear about). */
  readonly notified: number;
}

export interface AlertEngine {
  /** Restores saved state; call once before the first `evaluate`. */
  load(): Promise<void>;
  /**
   * Evaluates every rule against `snapshot`; rejects only on a programming error. Calls made
   * while one runs (a slow history query) wait their turn, so instances never step twice at once.
   */
  evaluate(snapshot: MetricsSnapshot): Promise<EvaluationResult>;
  /** Every instance that is not inactive (pending included). */
  alerts(): AlertInstanceView[];
  rules(): readonly AlertRule[];
  /** Saves state now and waits for deliveries in flight. */
  close(): Promise<void>;
}

export function createAlertEngine(options: AlertEngineOptions): AlertEngine {
  const now = options.now ?? Date.now;
  const rules: readonly AlertRule[] =
    options.rules.length > 0 && "fires" in (options.rules[0] as object)
      ? (options.rules as AlertRule[])
      : parseRules(options.rules as AlertRuleSpec[]);
  const byRule = new Map<AlertRule, Map<string, Instance>>(rules.map((r) => [r, new Map()]));
  const ruleMetrics = new Set(rules.map((r) => r.metric));
  const { notifier, stateStore, history } = options;
  const report = (err: HeadroomError) => {
    try {
      options.onError?.(err);
    } catch {
      // A throwing error handler must not break the save chain or evaluation.
    }
  };
  let epoch = 0;
  let dirty = false;
  let savedVersion = notifier?.version() ?? 0;
  let saveChain: Promise<void> = Promise.resolve();
  let saveQueued = false;

  const exportState = (): PersistedAlertState => {
    const instances: PersistedInstance[] = [];
    for (const [rule, map] of byRule) {
      for (const inst of map.values()) {
        if (inst.st.state === "inactive" && inst.notified !== "firing") continue;
        instances.push({ rule: rule.id, labels: inst.seriesLabels, state: inst.st, notified: inst.notified });
      }
    }
    return {
      version: 1,
      savedAtMs: now(),
      instances,
      notificationLog: notifier?.exportLog() ?? [],
      silences: notifier?.silences.exportAll() ?? [],
    };
  };

  /**
   * Saves run one at a time on one chain. A save asked for while another is queued joins the
   * queued one, which exports the state when it runs and so includes every change so far.
   */
  const save = (): Promise<void> => {
    if (!stateStore) return Promise.resolve();
    if (saveQueued) return saveChain;
    saveQueued = true;
    saveChain = saveChain.then(async () => {
      saveQueued = false;
      dirty = false;
      savedVersion = notifier?.version() ?? 0;
      try {
        await stateStore.save(exportState());
      } catch (cause) {
        dirty = true;
        report(
          new HeadroomError(ErrorCode.Storage, `[alerts] saving alert state failed: ${errorMessage(cause)}`, {
            cause,
          }),
        );
      }
    });
    return saveChain;
  };

  /** The windowed value from the engine's own window; NaN while there are too few samples (a rate's first). */
  const localValue = (inst: Instance, value: number, t: number): number => {
    inst.window!.push(t, value, inst.rule.windowMs);
    return inst.window!.reduce(inst.rule.reduce) ?? Number.NaN;
  };

  const historyOutcome = async (
    inst: Instance,
    value: number,
    t: number,
    query: HistoryQuery,
  ): Promise<EvalOutcome> => {
    const { rule } = inst;
    try {
      const samples = [...(await query(rule.metric, inst.seriesLabels, t - rule.windowMs, t))];
      if (samples.length === 0 || samples[samples.length - 1].t < t) samples.push({ t, v: value });
      const v = reduce(rule.reduce, samples);
      return v === undefined ? { kind: "missing" } : { kind: "value", value: v };
    } catch (err) {
      return { kind: "error", message: `history query failed: ${errorMessage(err)}` };
    }
  };

  let queue: Promise<void> = Promise.resolve();

  const evaluateNow = async (snapshot: MetricsSnapshot): Promise<EvaluationResult> => {
    const t = snapshot.timestampMs || now();
    epoch++;
    // Only the families some rule selects; a snapshot holds hundreds, a rule set a handful.
    const families = new Map<string, MetricFamily>();
    for (const f of snapshot.families) if (ruleMetrics.has(f.name)) families.set(f.name, f);
    const updates: Alert[] = [];
    let evaluated = 0;
    let firing = 0;
    /**
     * The steady state of most instances (inactive and below the line, or firing and not yet
     * clear, or pending inside `for`) changes only the last-seen time and value. Writing those in
     * place on the engine's own state object skips three allocations per series; the result is
     * what `nextState` returns for the same input.
     */
    const steady = (inst: Instance, v: number, now: number): boolean => {
      const st = inst.st as Mutable<InstanceState>;
      const rule = inst.rule;
      if (st.flapping || (st.flapTimes.length > 0 && st.flapTimes[0] < now - rule.flapWindowMs)) return false;
      if (Number.isNaN(v)) return false;
      switch (st.state) {
        case "inactive":
        case "resolved":
          if (rule.fires(v)) return false;
          break;
        case "firing":
          if (rule.clears(v)) return false;
          st.lastActiveMs = now;
          break;
        case "pending":
          if (!rule.fires(v) || now - st.activeAtMs >= rule.forMs) return false;
          st.lastActiveMs = now;
          break;
        default:
          return false;
      }
      st.lastSeenMs = now;
      st.value = v;
      return true;
    };
    const stepOne = (inst: Instance, outcome: EvalOutcome) => {
      const prev = inst.st;
      if (outcome.kind === "value" && Number.isNaN(outcome.value)) return; // not enough samples yet
      const r = nextState(prev, outcome, t, inst.rule);
      inst.st = r.state;
      if (r.state.state !== prev.state || r.notify) dirty = true;
      if (r.notify) {
        const alert = toAlert(inst, r.notify, t);
        inst.notified = alert.status;
        updates.push(alert);
      }
    };
    for (const [rule, instances] of byRule) {
      const family = families.get(rule.metric);
      let matched = 0;
      let typeError: string | undefined;
      if (family && (family.type === "histogram" || family.type === "summary")) {
        typeError = `metric "${rule.metric}" is a ${family.type}; select a counter or gauge`;
      } else if (family) {
        for (const s of family.series) {
          if (!matchesAll(rule.matchers, s.labels)) continue;
          matched++;
          const key = labelsKey(s.labels);
          let inst = instances.get(key);
          if (!inst) {
            inst = makeInstance(rule, s.labels, t, false);
            instances.set(key, inst);
          }
          inst.epoch = epoch;
          if (history && rule.reduce !== "last") {
            stepOne(inst, await historyOutcome(inst, s.value, t, history));
          } else {
            const v = rule.reduce === "last" ? s.value : localValue(inst, s.value, t);
            if (!steady(inst, v, t)) stepOne(inst, { kind: "value", value: v });
          }
          if (isNotifying(inst.st.state)) firing++;
        }
        evaluated += matched;
      }
      if (matched === 0 && !instances.has("")) {
        // Nothing matches: one rule-level instance carries the no-data (or error) outcome.
        const labels: Record<string, string> = {};
        for (const m of rule.matchers) if (m.op === "=") labels[m.name] = m.value;
        instances.set("", makeInstance(rule, Object.freeze(labels), t, true));
      }
      if (instances.size === matched) continue;
      for (const [key, inst] of instances) {
        if (inst.epoch === epoch) continue;
        const outcome: EvalOutcome =
          inst.synthetic && matched > 0
            ? { kind: "clear" }
            : typeError
              ? { kind: "error", message: typeError }
              : { kind: "missing" };
        stepOne(inst, outcome);
        const s = inst.st.state;
        const stale = t - inst.st.lastSeenMs > Math.max(inst.rule.missingGraceMs, inst.rule.windowMs);
        // A vanished series is forgotten once it is quiet; the rule-level instance lives while
        // nothing matches (recreating it every grace period would only churn saves).
        const gone = inst.synthetic ? matched > 0 : stale;
        if ((s === "inactive" || s === "resolved") && gone) {
          instances.delete(key);
          if (s === "resolved") dirty = true;
          continue;
        }
        evaluated++;
        if (isNotifying(inst.st.state)) firing++;
      }
    }
    if (notifier) {
      if (updates.length > 0) notifier.update(updates, t);
      notifier.tick(t);
    }
    if (dirty || (notifier && notifier.version() !== savedVersion)) void save();
    return { timestampMs: t, evaluated, firing, notified: updates.length };
  };

  return {
    async load() {
      if (!stateStore) return;
      let saved: PersistedAlertState | undefined;
      try {
        saved = await stateStore.load();
      } catch (cause) {
        report(
          new HeadroomError(
            ErrorCode.Storage,
            `[alerts] loading alert state failed: ${errorMessage(cause)}`,
            { cause },
          ),
        );
        return;
      }
      if (!saved) return;
      const ruleById = new Map(rules.map((r) => [r.id, r]));
      const restored: Alert[] = [];
      for (const p of saved.instances) {
        const rule = ruleById.get(p.rule);
        if (!rule) continue; // the rule was removed or changed its name or severity
        const inst = makeInstance(rule, Object.freeze({ ...p.labels }), now(), false);
        inst.st = {
          ...p.state,
          value: p.state.value ?? Number.NaN,
          flapTimes: [...(p.state.flapTimes ?? [])],
        };
        inst.notified = p.notified;
        byRule.get(rule)!.set(labelsKey(inst.seriesLabels), inst);
        if (inst.notified === "firing") restored.push(toAlert(inst, inst.st.state as NotifyKind, now()));
      }
      if (notifier) {
        notifier.importLog(saved.notificationLog);
        notifier.silences.importAll(saved.silences);
        notifier.update(restored);
        savedVersion = notifier.version();
      }
    },

    evaluate(snapshot) {
      const run = queue.then(() => evaluateNow(snapshot));
      queue = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    },

    alerts() {
      const out: AlertInstanceView[] = [];
      for (const [rule, map] of byRule) {
        for (const inst of map.values()) {
          if (inst.st.state === "inactive") continue;
          out.push({
            rule: rule.name,
            severity: rule.severity,
            labels: inst.alertLabels,
            fingerprint: inst.fingerprint,
            state: inst.st.state,
            value: inst.st.value,
            activeAtMs: inst.st.activeAtMs,
            flapping: inst.st.flapping,
            error: inst.st.error,
          });
        }
      }
      return out;
    },

    rules: () => rules,

    async close() {
      dirty = true;
      await save();
      await notifier?.idle();
    },
  };
}
