export type { ErrorCode as ErrorCodeValue, HeadroomErrorOptions } from "./errors.js";
export { ErrorCode, errorMessage, HeadroomError, isHeadroomError } from "./errors.js";
export { createMetricsHandler } from "./expose/metrics-handler.js";
export { negotiateExposition } from "./expose/negotiate.js";
export { toNodeListener } from "./expose/node-listener.js";
export { encodeOpenMetrics, OPENMETRICS_CONTENT_TYPE } from "./expose/openmetrics.js";
export { encodePrometheusText, PROMETHEUS_CONTENT_TYPE } from "./expose/prometheus-text.js";
export type { MetricsBackend } from "./metrics/backend.js";
export { createInMemoryBackend } from "./metrics/backend.js";
export { DEFAULT_BUCKETS, exponentialBuckets, linearBuckets } from "./metrics/buckets.js";
export type { MetricConfig, MetricsConfig } from "./metrics/config.js";
export { loadMetricsConfig, parseMetricsConfig } from "./metrics/config.js";
export { Counter, CounterHandle } from "./metrics/counter.js";
export { EngineMetrics } from "./metrics/engine-metrics.js";
export { Gauge, GaugeHandle } from "./metrics/gauge.js";
export { Histogram, HistogramHandle } from "./metrics/histogram.js";
export { Info, StateSet } from "./metrics/info.js";
export type { MergePolicy } from "./metrics/merge.js";
export { mergeSnapshots } from "./metrics/merge.js";
export type { LabelValues, MetricOptions } from "./metrics/metric-base.js";
export { Rate, RateHandle } from "./metrics/rate.js";
export type { AnyMetric, RegistryOptions, SnapshotFilter } from "./metrics/registry.js";
export { createRegistry, defaultRegistry, Registry } from "./metrics/registry.js";
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
} from "./metrics/snapshot.js";
export { findFamily, findValue, MetricType } from "./metrics/snapshot.js";
export { Summary } from "./metrics/summary.js";
export { Timer, TimerScope } from "./metrics/timer.js";
export type {
  CapacityFinding,
  ResourceLimitExceeded,
  ResourceLimitExceededError,
  ResourceLimits,
  ResourceLimitUsage,
} from "./monitors/capacity.js";
export { checkResourceLimits, findMonitorsOverCapacity } from "./monitors/capacity.js";
export type { MonitorRegistry } from "./monitors/monitor-registry.js";
export { createMonitorRegistry } from "./monitors/monitor-registry.js";
export type { ResourceMonitor, ResourceUsageReport } from "./monitors/resource-monitor.js";
export { emptyUsageReport, MonitoredResourceType } from "./monitors/resource-monitor.js";
export type {
  MonitorRunResult,
  MonitorScheduler,
  MonitorSchedulerOptions,
  MonitorStatus,
} from "./monitors/scheduler.js";
export { createMonitorScheduler } from "./monitors/scheduler.js";
