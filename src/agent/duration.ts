/**
 * Durations as people write them in config files and on the command line: `250ms`, `30s`,
 * `5m`, `7d`, `1h30m`, `2w`. A bare number means seconds (the seed's TOML mixes both); the
 * unit syntax is the alerting module's, so rules and config read durations alike.
 */
import { durationMs } from "../alerts/duration.js";

export { formatDuration } from "../alerts/duration.js";

/** Milliseconds in `text`, or undefined when it is not a duration. Never throws. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isFinite(text) && text >= 0 ? text * 1000 : undefined;
  const s = text.trim();
  if (s === "") return undefined;
  if (/^\d+(?:\.\d+)?$/.test(s)) return Number(s) * 1000;
  return durationMs(s);
}
