export type { BackendOperation, MetricsBackend } from "./backend.js";
export { createInMemoryBackend } from "./backend.js";
export { DEFAULT_BUCKETS, exponentialBuckets, linearBuckets } from "./buckets.js";
export type { MetricConfig, MetricsConfig } from "./config.js";
export { loadMetricsConfig, parseMetricsConfig } from "./config.js";
export { Counter, CounterHandle } from "./counter.js";
export { EngineMetrics } from "./engine-metrics.js";
export { Gauge, GaugeHandle } from "./gauge.js";
export type { HistogramOptions } from "./histogram.js";
export { Histogram, HistogramHandle } from "./histogram.js";
export type { MetricId } from "./identity.js";
export { fullName, validateLabelNames, validateMetricName } from "./identity.js";
export type { InfoOptions, StateSetOptions } from "./info.js";
export { Info, StateSet } from "./info.js";
export type { MergePolicy } from "./merge.js";
export { mergeSnapshots } from "./merge.js";
export type { LabelValues, MetricOptions } from "./metric-base.js";
export { DEFAULT_SERIES_LIMIT } from "./metric-base.js";
export { QuantileSketch } from "./quantile-sketch.js";
export type { RateOptions } from "./rate.js";
export { Rate, RateHandle } from "./rate.js";
export type { AnyMetric, CallbackOptions, RegistryOptions, SnapshotFilter } from "./registry.js";
export { createRegistry, defaultRegistry, Registry } from "./registry.js";
export type {
  HistogramFamily,
  HistogramSeries,
  Labels,
  MetricFamily,
  MetricsSnapshot,
  ScalarFamily,
  ScalarSeries,
  SummaryFamily,
  SummarySeries,
} from "./snapshot.js";
export { findFamily, findValue, MetricType } from "./snapshot.js";
export type { SummaryOptions } from "./summary.js";
export { Summary } from "./summary.js";
export { Timer, TimerScope } from "./timer.js";
