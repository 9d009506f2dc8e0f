/**
 * The per-sample checks every store makes before it keeps a sample, and the rejection counts
 * they feed. The clock is read only when a sample looks like it is ahead of the cached limit,
 * so the common path does no clock read and no allocation.
 */
import type { RejectedCounts } from "./history-store.js";

/** Samples further ahead of the clock than this are rejected (Prometheus allows 10 min too). */
export const DEFAULT_MAX_FUTURE_MS = 10 * 60_000;

export class AppendGuard {
  readonly rejected: RejectedCounts = {
    nonFinite: 0,
    outOfOrder: 0,
    future: 0,
    invalidSeries: 0,
    corruptChunks: 0,
  };
  accepted = 0;
  readonly #now: () => number;
  readonly #maxFutureMs: number;
  #limit: number;

  constructor(now: () => number, maxFutureMs = DEFAULT_MAX_FUTURE_MS) {
    this.#now = now;
    this.#maxFutureMs = maxFutureMs;
    this.#limit = now() + maxFutureMs;
  }

  /** True when `t`/`v` may follow a series whose last timestamp is `lastT`; counts the reason otherwise. */
  check(lastT: number, t: number, v: number): boolean {
    if (!Number.isFinite(v) || !Number.isFinite(t)) {
      this.rejected.nonFinite++;
      return false;
    }
    if (t <= lastT) {
      this.rejected.outOfOrder++;
      return false;
    }
    if (t > this.#limit) {
      this.#limit = this.#now() + this.#maxFutureMs;
      if (t > this.#limit) {
        this.rejected.future++;
        return false;
      }
    }
    this.accepted++;
    return true;
  }
}
