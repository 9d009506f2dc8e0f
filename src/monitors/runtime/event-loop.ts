/**
 * Event-loop delay over a window, from `monitorEventLoopDelay()`. The histogram is reset only
 * when a window (default 60 s) has passed, never on every read: `reset()` also throws away the
 * delay sample in flight, so resetting at each scrape would systematically miss part of each
 * interval. A read that finds the fresh window still empty reports the previous window.
 */
import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";

export interface LoopDelayStats {
  /** Seconds. */
  min: number;
  max: number;
  mean: number;
  stddev: number;
  p50: number;
  p90: number;
  p99: number;
  /** Delay samples behind these figures. */
  count: number;
}

export class LoopDelayWindow {
  readonly #h: IntervalHistogram;
  readonly #windowMs: number;
  readonly #now: () => number;
  #windowStart: number;
  #last: LoopDelayStats | undefined;

  constructor(options: { resolutionMs?: number; windowMs?: number; now?: () => number } = {}) {
    this.#h = monitorEventLoopDelay({ resolution: options.resolutionMs ?? 10 });
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#windowStart = this.#now();
    this.#h.enable();
  }

  /** Stats of the current window (or the last non-empty one); undefined before any sample. */
  read(): LoopDelayStats | undefined {
    const h = this.#h;
    if (h.count > 0) {
      this.#last = {
        min: h.min / 1e9,
        max: h.max / 1e9,
        mean: h.mean / 1e9,
        stddev: h.stddev / 1e9,
        p50: h.percentile(50) / 1e9,
        p90: h.percentile(90) / 1e9,
        p99: h.percentile(99) / 1e9,
        count: h.count,
      };
    }
    const t = this.#now();
    if (t - this.#windowStart >= this.#windowMs) {
      h.reset();
      this.#windowStart = t;
    }
    return this.#last;
  }

  close(): void {
    this.#h.disable();
  }
}

/** Time from now until a setImmediate callback runs: prom-client's `nodejs_eventloop_lag_seconds`. */
export function measureLag(): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => setImmediate(() => resolve(Number(process.hrtime.bigint() - start) / 1e9)));
}
