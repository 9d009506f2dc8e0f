/**
 * The alert as the notification pipeline and the channels see it, and the notification a channel
 * receives. Plain data, so channels, the HTTP API and the state store share one shape.
 */
import type { Labels } from "../metrics/snapshot.js";
import type { Severity } from "./rule.js";

export type AlertStatus = "firing" | "resolved";

export interface Alert {
  /** Stable id of the instance: a hash of its labels (rule name included as `alertname`). */
  readonly fingerprint: string;
  readonly status: AlertStatus;
  /** `firing` for a firing alert; `nodata` / `error` when the rule's policy turned those into alerts. */
  readonly state: "firing" | "nodata" | "error" | "resolved";
  /** Series labels plus the rule's labels, `alertname` and `severity`. */
  readonly labels: Labels;
  readonly annotations: Readonly<Record<string, string>>;
  readonly rule: string;
  readonly severity: Severity;
  readonly value: number;
  readonly threshold: number;
  readonly startsAtMs: number;
  /** When it resolved; 0 while firing. */
  readonly endsAtMs: number;
  /** Set while the alert changes state too often; receivers were told once. */
  readonly flapping: boolean;
}

export interface Notification {
  /** The channel name this notification is for. */
  readonly receiver: string;
  /** `firing` when any alert in it fires, else `resolved`. */
  readonly status: AlertStatus;
  readonly groupKey: string;
  readonly groupLabels: Labels;
  readonly commonLabels: Labels;
  /** Firing alerts first, then resolved ones. */
  readonly alerts: readonly Alert[];
  readonly timestampMs: number;
}

/** FNV-1a over sorted `name=value` pairs: a short stable id for a label set. */
export function fingerprint(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const k of keys) {
    const s = `${k}\u0000${labels[k]}\u0001`;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
  }
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}

/** Labels every alert in `alerts` shares with the same value. */
export function commonLabels(alerts: readonly Alert[]): Labels {
  if (alerts.length === 0) return {};
  const out: Record<string, string> = { ...alerts[0].labels };
  for (let i = 1; i < alerts.length; i++) {
    for (const k of Object.keys(out)) if (alerts[i].labels[k] !== out[k]) delete out[k];
  }
  return out;
}
