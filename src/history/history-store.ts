/**
 * The HistoryStore contract: where Headroom remembers numbers. The agent appends the
 * registry's snapshot every tick; the server, the dashboard, the alert engine and the
 * ResourceTracker query it. One interface, several back-ends (memory ring, SQLite, a remote
 * Prometheus), one conformance suite (`conformance.ts`) that every back-end runs.
 *
 * Series identity is the metric name plus its labels sorted by name (`seriesKey`). Timestamps
 * are integer milliseconds since the epoch (a fraction is dropped on append); values are
 * finite float64.
 *
 * Appending never throws for bad data: a non-finite value, a timestamp not after the series'
 * last one, or one too far in the future is counted in `stats().rejected` and skipped, and
 * nothing already stored is touched. Invalid series identities (bad name, too many labels)
 * throw a HeadroomError from `series()`; `appendSnapshot` counts and skips them instead.
 * Queries validate their range and throw `HR_INVALID_ARGUMENT` on an inverted or empty one.
 */
import type { Labels, MetricsSnapshot } from "../metrics/snapshot.js";

/** One stored point. */
export interface Sample {
  /** Milliseconds since the epoch. */
  readonly t: number;
  readonly v: number;
}

/** One aggregated bucket of a step query or a rollup tier: the raw samples in [t, t + step). */
export interface StepPoint {
  /** Start of the bucket (ms since epoch, aligned to the step). */
  readonly t: number;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  /** The last raw value in the bucket. */
  readonly last: number;
}

/** Picks one series by identity (exact name and exact label set). */
export interface SeriesSelector {
  readonly name: string;
  readonly labels?: Labels;
}

/** A resolved series, returned by `HistoryStore.series()`: the cheap way to append repeatedly. */
export interface SeriesHandle {
  /** Store-local id; only meaningful to the store that returned the handle. */
  readonly id: number;
  /** `seriesKey(name, labels)`. */
  readonly key: string;
  readonly name: string;
  readonly labels: Labels;
}

export interface SeriesInfo {
  readonly key: string;
  readonly name: string;
  readonly labels: Labels;
}

export interface TimeRange {
  /** Inclusive start, ms since epoch. */
  readonly startMs: number;
  /** Inclusive end, ms since epoch; must be >= startMs. */
  readonly endMs: number;
}

export interface StepRange extends TimeRange {
  /** Bucket width in ms (> 0). Stores answer from the coarsest rollup tier that fits the step. */
  readonly stepMs: number;
}

export interface DownsampleRange extends TimeRange {
  /** At most this many points come back (>= 2). */
  readonly maxPoints: number;
}

/** Why samples were skipped; each a running count since the store was opened. */
export interface RejectedCounts {
  nonFinite: number;
  outOfOrder: number;
  future: number;
  invalidSeries: number;
  /** Sealed chunks that failed to decode; their samples are left in place, never deleted. */
  corruptChunks: number;
}

export interface HistoryStats {
  readonly series: number;
  readonly accepted: number;
  readonly rejected: Readonly<RejectedCounts>;
  /** Set when the store has stopped persisting (disk full, read-only) and only keeps memory. */
  readonly degraded?: string;
}

export interface AppendResult {
  accepted: number;
  rejected: number;
}

export interface RetentionResult {
  /** Raw samples (or chunks' worth of samples) dropped for being older than the raw retention. */
  readonly removedSamples: number;
}

export interface HistoryStore {
  /**
   * Resolves (creating on first use) the series `name{labels}`. Called once per series by a
   * writer that appends repeatedly. Throws HeadroomError `HR_INVALID_NAME` / `HR_INVALID_LABEL`
   * for a name or label set the store cannot hold (see `series.ts` limits).
   */
  series(name: string, labels?: Labels): SeriesHandle;

  /**
   * Appends one sample to a series from `series()`. Hot path: never throws. Returns false when
   * the sample was counted and skipped (non-finite, not after the previous one, too far ahead).
   */
  append(series: SeriesHandle, timestampMs: number, value: number): boolean;

  /**
   * Appends every counter, gauge and info series of a registry snapshot at its timestamp;
   * histograms become `_bucket{le}`, `_sum` and `_count` series, summaries `{quantile}`,
   * `_sum` and `_count`. Called by the agent each tick. Never throws.
   */
  appendSnapshot(snapshot: MetricsSnapshot): AppendResult;

  /** Raw samples in the range, oldest first. [] for an unknown series. */
  queryRange(selector: SeriesSelector, range: TimeRange): Promise<Sample[]>;

  /** Aggregates per step bucket (buckets without samples are omitted), oldest first. */
  queryStep(selector: SeriesSelector, range: StepRange): Promise<StepPoint[]>;

  /**
   * At most `maxPoints` samples for a chart. Min/max preserving: each bucket contributes its
   * lowest and highest sample in time order, so a one-sample spike is never averaged away.
   */
  queryDownsampled(selector: SeriesSelector, range: DownsampleRange): Promise<Sample[]>;

  /**
   * Per-second rate of a counter over the range: the increase between the first and last
   * sample (a drop counts as a reset, as in PromQL's `rate`) over their time distance.
   * Undefined when fewer than two samples lie in the range.
   */
  rate(selector: SeriesSelector, range: TimeRange): Promise<number | undefined>;

  /** The newest sample of the series, or undefined. */
  latest(selector: SeriesSelector): Promise<Sample | undefined>;

  /** Known series, optionally only those with this name and including these labels. */
  listSeries(filter?: { name?: string; labels?: Labels }): Promise<SeriesInfo[]>;

  /** Drops data older than the configured retention(s), relative to `nowMs`. */
  applyRetention(nowMs?: number): Promise<RetentionResult>;

  /** Makes every accepted sample durable / queryable by other readers. */
  flush(): Promise<void>;

  stats(): HistoryStats;

  /** Flushes and releases files. Further calls are undefined behaviour. */
  close(): Promise<void>;
}
