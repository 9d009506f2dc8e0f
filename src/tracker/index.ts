/** The tracker area's public surface. */
export type { HourProfile, UsagePattern } from "./patterns.js";
export { csvField, parseReportFormat } from "./report.js";
export { ResourceHandle } from "./resource-handle.js";
export type { ResourceTrackerOptions } from "./resource-tracker.js";
export { ResourceTracker } from "./resource-tracker.js";
export type { SharedUsageLayout } from "./shared-usage.js";
export { createSharedUsageBuffer, SharedUsageConsumer, SharedUsageRecorder } from "./shared-usage.js";
export type {
  Alert,
  HandleLeak,
  LeakAnalysisOptions,
  LeakSuspect,
  Percentiles,
  ResourceStats,
  ThresholdOptions,
} from "./types.js";
export { ReportFormat, ThresholdDirection } from "./types.js";
