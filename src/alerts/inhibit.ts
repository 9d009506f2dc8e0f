/**
 * Inhibition: while an alert matching `source` fires, alerts matching `target` that agree with it
 * on every `equal` label are muted (a firing critical mutes the matching warning).
 */
import type { Labels } from "../metrics/snapshot.js";
import type { Alert } from "./alert.js";
import { type CompiledMatcher, compileMatchers, type LabelMatcher, matchesAll } from "./matchers.js";

export interface InhibitRule {
  source: LabelMatcher[];
  target: LabelMatcher[];
  /** Labels source and target must share; default `["alertname"]`. */
  equal?: string[];
}

/** The rule most setups want: a critical mutes the warning of the same alert name and instance labels. */
export const defaultInhibitRules: readonly InhibitRule[] = [
  {
    source: [{ name: "severity", op: "=", value: "critical" }],
    target: [{ name: "severity", op: "=", value: "warning" }],
    equal: ["alertname"],
  },
];

interface Compiled {
  source: CompiledMatcher[];
  target: CompiledMatcher[];
  equal: string[];
}

/** Compiles the rules once; `inhibitor(firing)` then answers per alert in O(rules). */
export function compileInhibitRules(
  rules: readonly InhibitRule[],
): (firing: Iterable<Alert>) => (a: Alert) => boolean {
  const compiled: Compiled[] = rules.map((r, i) => ({
    source: compileMatchers(r.source, `inhibit rule ${i} source`),
    target: compileMatchers(r.target, `inhibit rule ${i} target`),
    equal: r.equal ?? ["alertname"],
  }));
  const key = (labels: Labels, equal: string[]) => equal.map((n) => labels[n] ?? "").join("\u0000");
  return (firing) => {
    const sources = compiled.map(() => new Map<string, string[]>());
    for (const a of firing) {
      if (a.status !== "firing") continue;
      compiled.forEach((r, i) => {
        if (!matchesAll(r.source, a.labels)) return;
        const k = key(a.labels, r.equal);
        const list = sources[i].get(k);
        if (list) list.push(a.fingerprint);
        else sources[i].set(k, [a.fingerprint]);
      });
    }
    return (a) => {
      for (let i = 0; i < compiled.length; i++) {
        const r = compiled[i];
        if (sources[i].size === 0 || !matchesAll(r.target, a.labels)) continue;
        const fps = sources[i].get(key(a.labels, r.equal));
        // An alert never inhibits itself (a rule whose source and target overlap).
        if (fps?.some((fp) => fp !== a.fingerprint)) return true;
      }
      return false;
    };
  };
}
