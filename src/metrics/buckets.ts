/** Histogram bucket helpers and their validation. */
import { ErrorCode, HeadroomError } from "../errors.js";

/** prom-client's and client_golang's defaults, in seconds. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** `count` buckets starting at `start`, each `width` above the previous. */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (!(width > 0) || !Number.isInteger(count) || count < 1 || !Number.isFinite(start)) {
    throw new HeadroomError(
      ErrorCode.InvalidBuckets,
      "[metrics] linearBuckets: needs width > 0 and count >= 1",
      {
        data: { start, width, count },
      },
    );
  }
  return Array.from({ length: count }, (_, i) => start + i * width);
}

/** `count` buckets starting at `start`, each `factor` times the previous. */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (!(start > 0) || !(factor > 1) || !Number.isInteger(count) || count < 1) {
    throw new HeadroomError(
      ErrorCode.InvalidBuckets,
      "[metrics] exponentialBuckets: needs start > 0, factor > 1 and count >= 1",
      { data: { start, factor, count } },
    );
  }
  return Array.from({ length: count }, (_, i) => start * factor ** i);
}

/** Returns finite, strictly increasing bounds (a trailing +Inf is dropped: it is always implied). */
export function validateBuckets(metric: string, buckets: readonly number[]): number[] {
  const bounds =
    buckets.length > 0 && buckets[buckets.length - 1] === Infinity ? buckets.slice(0, -1) : [...buckets];
  if (bounds.length === 0) {
    throw new HeadroomError(
      ErrorCode.InvalidBuckets,
      `[metrics] ${metric}: needs at least one finite bucket`,
      {
        data: { metric },
      },
    );
  }
  for (let i = 0; i < bounds.length; i++) {
    if (typeof bounds[i] !== "number" || !Number.isFinite(bounds[i])) {
      throw new HeadroomError(
        ErrorCode.InvalidBuckets,
        `[metrics] ${metric}: bucket ${i} is not a finite number`,
        {
          data: { metric, index: i },
        },
      );
    }
    if (i > 0 && bounds[i] <= bounds[i - 1]) {
      throw new HeadroomError(
        ErrorCode.InvalidBuckets,
        `[metrics] ${metric}: buckets must be strictly increasing (${bounds[i - 1]} then ${bounds[i]})`,
        { data: { metric, index: i } },
      );
    }
  }
  return bounds;
}
