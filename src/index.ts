export type { ErrorCode as ErrorCodeValue, HeadroomErrorOptions } from "./errors.js";
export { ErrorCode, errorMessage, HeadroomError, isHeadroomError } from "./errors.js";
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
  SchedulerGaugeRegistry,
} from "./monitors/scheduler.js";
export { createMonitorScheduler } from "./monitors/scheduler.js";
