/**
 * Text every channel shares: the one-line summary of an alert, its resource name, RFC 3339 times.
 */
import type { Alert } from "../alert.js";
import { formatValue } from "../template.js";

const HIDDEN = new Set(["alertname", "severity"]);

/** The label that names what the alert is about: `resource`, else the series labels joined. */
export function resourceOf(a: Alert): string {
  if (a.labels.resource) return a.labels.resource;
  const parts = Object.keys(a.labels)
    .filter((k) => !HIDDEN.has(k))
    .sort()
    .map((k) => `${k}=${a.labels[k]}`);
  return parts.length > 0 ? parts.join(",") : a.rule;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** `FIRING critical HighCpu (cpu=0): value 93.5, threshold 90 - summary`. */
export function alertLine(a: Alert): string {
  const status =
    a.status === "firing" ? (a.state === "firing" ? "FIRING" : a.state.toUpperCase()) : "RESOLVED";
  const summary = a.annotations.summary ?? a.annotations.description ?? "";
  const flap = a.flapping ? " [flapping]" : "";
  return (
    `${status} ${a.severity} ${a.rule} (${resourceOf(a)}): value ${formatValue(a.value)}, threshold ${formatValue(a.threshold)}` +
    `${flap}${summary ? ` - ${summary}` : ""}`
  );
}
