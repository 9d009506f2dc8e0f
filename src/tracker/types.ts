/**
 * The ResourceTracker's public types (seed 002): statistics, alerts, report formats and leak
 * reports. Times are milliseconds since the epoch.
 */
export const ReportFormat = { Text: "TEXT", Json: "JSON", Csv: "CSV" } as const;
export type ReportFormat = (typeof ReportFormat)[keyof typeof ReportFormat];

export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
}

export interface ResourceStats {
  readonly name: string;
  readonly type: string;
  /** Over every sample since `track` (NaN before the first sample). */
  readonly min: number;
  readonly max: number;
  readonly average: number;
  /** The last recorded value (NaN before the first sample). */
  readonly current: number;
  /** Timestamp of the last sample, or undefined before the first. */
  readonly lastUpdated: number | undefined;
  readonly count: number;
  /** Over the most recent `windowSamples` samples (NaN when empty). */
  readonly percentiles: Percentiles;
  readonly windowSamples: number;
}

export const ThresholdDirection = { Above: "above", Below: "below" } as const;
export type ThresholdDirection = (typeof ThresholdDirection)[keyof typeof ThresholdDirection];

/** The seed's Alert, plus the direction that was crossed. */
export interface Alert {
  readonly resourceName: string;
  readonly threshold: number;
  readonly currentValue: number;
  readonly timestamp: number;
  readonly message: string;
  readonly direction: ThresholdDirection;
}

export interface ThresholdOptions {
  /** Fire when the value goes above (default) or below the threshold. */
  direction?: ThresholdDirection;
  /**
   * The value must come back past `threshold -/+ hysteresis` before the threshold can fire
   * again, so a value hovering at the threshold does not call back on every sample. Default 0.
   */
  hysteresis?: number;
  /** Minimum time between two callbacks of this threshold (ms). Default 60 s. */
  cooldownMs?: number;
}

/** A resource whose usage keeps growing over the analysed window. */
export interface LeakSuspect {
  readonly name: string;
  readonly type: string;
  /** Robust (Theil-Sen) slope, in the resource's unit per hour. */
  readonly growthPerHour: number;
  /** 1 - p of the Mann-Kendall trend test: how sure the upward trend is not noise. */
  readonly confidence: number;
  /** R^2 of a least-squares line, for context: low on a sawtooth even when it leaks. */
  readonly fit: number;
  readonly samples: number;
  readonly windowMs: number;
}

export interface LeakAnalysisOptions {
  /** Only samples newer than this many ms before the newest one. Default: the whole window. */
  windowMs?: number;
  /** Fewer samples than this never make a suspect. Default 20. */
  minSamples?: number;
  /** Minimum confidence (0..1). Default 0.99. */
  minConfidence?: number;
  /** Minimum growth per hour, absolute. Default 0 (any growth). */
  minGrowthPerHour?: number;
  /** Minimum growth over the window relative to the mean level. Default 0.01 (1%). */
  minRelativeGrowth?: number;
}

/** A handle that was garbage-collected without `release()`: the resource was never handed back. */
export interface HandleLeak {
  readonly name: string;
  readonly type: string;
  /** When the handle was created. */
  readonly createdAt: number;
}
