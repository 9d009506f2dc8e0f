/**
 * Retry timing: exponential backoff with jitter, and the `Retry-After` header a destination
 * may send with 429 or 503.
 */

export interface BackoffOptions {
  /** First delay in ms (default 500). */
  readonly minMs?: number;
  /** Largest delay in ms (default 30 s). */
  readonly maxMs?: number;
  /** Random in [0, 1); tests pass their own. */
  readonly random?: () => number;
}

/**
 * Delay before retry number `attempt` (0-based): `min * 2^attempt` capped at `max`, then
 * "equal jitter" (half fixed, half random), so many agents that lost the same destination at
 * the same moment do not come back in lockstep, yet none retries sooner than half the step.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const min = options.minMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const random = options.random ?? Math.random;
  const step = Math.min(max, min * 2 ** Math.min(attempt, 30));
  return step / 2 + random() * (step / 2);
}

/**
 * Milliseconds a `Retry-After` value asks to wait: delta-seconds or an HTTP date. Undefined
 * when absent or unreadable; never negative.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const s = value.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  if (/^\d+\.\d+$/.test(s)) return Math.round(Number(s) * 1000);
  // Only an IMF-fixdate ("Sun, 22 Nov 2026 10:00:30 GMT"); Date.parse alone also reads "-5" as a year.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(s)) return undefined;
  const date = Date.parse(s);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
