/**
 * One notification to one channel, with a per-attempt timeout and bounded retries with
 * exponential backoff and jitter. A channel error whose `data.retryable` is false (a 4xx, a
 * rejected recipient) is not retried. Never throws: the outcome is returned and counted.
 */
import { errorMessage } from "../errors.js";
import type { Notification } from "./alert.js";
import type { AlertChannel } from "./channels/channel.js";

export interface RetryOptions {
  /** Attempts in all, first included (default 4). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0..1: each delay is scaled by a random factor in [1 - jitter, 1 + jitter]. */
  jitter: number;
  /** Per-attempt limit; a slower channel counts as failed (default 10 s). */
  timeoutMs: number;
}

export const defaultRetry: RetryOptions = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  jitter: 0.2,
  timeoutMs: 10_000,
};

export interface DeliveryOutcome {
  readonly ok: boolean;
  readonly attempts: number;
  readonly error?: string;
}

export interface DeliveryDeps {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Called after each failed attempt, for the failure counters. */
  readonly onAttemptFailed?: (error: unknown, attempt: number) => void;
}

export function backoffDelay(attempt: number, opts: RetryOptions, random: () => number): number {
  const base = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
  return Math.max(0, base * (1 + opts.jitter * (2 * random() - 1)));
}

function isRetryable(err: unknown): boolean {
  const data = (err as { data?: { retryable?: unknown } } | undefined)?.data;
  return data?.retryable !== false;
}

async function attempt(channel: AlertChannel, n: Notification, timeoutMs: number): Promise<void> {
  const ac = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ac.abort();
      reject(new Error(`[alerts:${channel.name}] timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    // The race guarantees the pipeline moves on even when a channel ignores the abort signal.
    await Promise.race([channel.send(n, { signal: ac.signal }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function deliver(
  channel: AlertChannel,
  n: Notification,
  opts: RetryOptions,
  deps: DeliveryDeps,
): Promise<DeliveryOutcome> {
  let last: unknown;
  for (let i = 1; i <= opts.maxAttempts; i++) {
    try {
      await attempt(channel, n, opts.timeoutMs);
      return { ok: true, attempts: i };
    } catch (err) {
      last = err;
      deps.onAttemptFailed?.(err, i);
      if (!isRetryable(err) || i === opts.maxAttempts)
        return { ok: false, attempts: i, error: errorMessage(err) };
      await deps.sleep(backoffDelay(i, opts, deps.random));
    }
  }
  return { ok: false, attempts: opts.maxAttempts, error: errorMessage(last) };
}
