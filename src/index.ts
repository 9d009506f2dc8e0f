export type { Agent, AgentOptions, ReloadResult } from "./agent/agent.js";
export { startAgent } from "./agent/agent.js";
export type { LoadedConfig, LoadOptions } from "./agent/config-load.js";
export { loadConfig, parseConfig } from "./agent/config-load.js";
export type { AgentConfig } from "./agent/config-schema.js";
export { configSchema, DEFAULT_PORT } from "./agent/config-schema.js";
export { defaultDataDir } from "./agent/data-dir.js";
export { formatDuration, parseDuration } from "./agent/duration.js";
export { limitUsage } from "./agent/limit-usage.js";
export type {
  Alert,
  AlertChannel,
  AlertEngine,
  AlertEngineOptions,
  AlertInstanceView,
  AlertRule,
  AlertRuleSpec,
  AlertSample,
  AlertState,
  AlertStateStore,
  AlertStatus,
  ChannelConfig,
  ChannelRoute,
  ChannelStats,
  EvaluationResult,
  HistoryQuery,
  InhibitRule,
  LabelMatcher,
  Notification,
  Notifier,
  NotifierOptions,
  OutcomePolicy,
  PersistedAlertState,
  Silence,
  SilenceInput,
  Silences,
  Thresholds,
} from "./alerts/index.js";
export {
  alertmanagerRoute,
  channelFromConfig,
  createAlertEngine,
  createAlertmanagerChannel,
  createCallbackChannel,
  createEmailChannel,
  createJsonFileStateStore,
  createLogChannel,
  createMemoryStateStore,
  createNotifier,
  createSilences,
  createSlackChannel,
  createSqliteStateStore,
  createWebhookChannel,
  defaultInhibitRules,
  exportPrometheusRules,
  importPrometheusRules,
  parseRules,
  registerAlertMetrics,
  rulesFromThresholds,
  Severity,
} from "./alerts/index.js";
export type { ErrorCode as ErrorCodeValue, HeadroomErrorOptions } from "./errors.js";
export { ErrorCode, errorMessage, HeadroomError, isHeadroomError } from "./errors.js";
export type {
  BackoffOptions,
  CreateExporterOptions,
  Credentials,
  DecodedWriteRequest,
  DeliveredSample,
  ElasticsearchBulkOptions,
  Exporter,
  ExporterConfig,
  ExporterHarness,
  ExporterStats,
  InfluxLineOptions,
  MemoryExporter,
  OtlpJsonOptions,
  PushExporterOptions,
  PushgatewayExporter,
  PushgatewayOptions,
  RemoteWriteOptions,
  StatsdExporterOptions,
  StatsdOptions,
  Transport,
  TransportResult,
} from "./exporters/index.js";
export {
  backoffDelay,
  createExporter,
  createMemoryExporter,
  createPushgatewayExporter,
  createStatsdExporter,
  DropReason,
  decodeRemoteWrite,
  encodeElasticsearchBulk,
  encodeInfluxLines,
  encodeOtlpJson,
  encodeRemoteWrite,
  encodeStatsd,
  InfluxPrecision,
  PushExporter,
  parseRetryAfter,
  remoteWriteHeaders,
  snappyCompress,
  snappyUncompress,
} from "./exporters/index.js";
export { createMetricsHandler } from "./expose/metrics-handler.js";
export { negotiateExposition } from "./expose/negotiate.js";
export { toNodeListener } from "./expose/node-listener.js";
export { encodeOpenMetrics, OPENMETRICS_CONTENT_TYPE } from "./expose/openmetrics.js";
export { encodePrometheusText, PROMETHEUS_CONTENT_TYPE } from "./expose/prometheus-text.js";
export type {
  AppendResult,
  DownsampleRange,
  DurationLike,
  HistoryStats,
  HistoryStore,
  MemoryHistoryOptions,
  OpenedHistory,
  OpenHistoryOptions,
  RejectedCounts,
  RetentionResult,
  Sample,
  SeriesHandle,
  SeriesInfo,
  SeriesSelector,
  SqliteDiskUsage,
  SqliteHistoryOptions,
  SqliteHistoryStore,
  StepPoint,
  StepRange,
  TierConfig,
  TimeRange,
} from "./history/index.js";
export {
  createMemoryHistory,
  DEFAULT_TIERS,
  decodeChunk,
  encodeChunk,
  openHistory,
  openSqliteHistory,
  seriesKey,
} from "./history/index.js";
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
export type {
  CgroupDirs,
  CgroupLayout,
  CgroupMode,
  ProcCgroup,
} from "./monitors/containers/cgroup-layout.js";
export { cgroupDirs, detectCgroupLayout, parseProcCgroup } from "./monitors/containers/cgroup-layout.js";
export type { CgroupMonitorOptions } from "./monitors/containers/cgroup-monitor.js";
export { CgroupMonitor } from "./monitors/containers/cgroup-monitor.js";
export type { CgroupStats, EffectiveLimits } from "./monitors/containers/cgroup-stats.js";
export { readCgroupStats, readEffectiveLimits } from "./monitors/containers/cgroup-stats.js";
export type { CgroupLocation, CgroupTarget } from "./monitors/containers/cgroup-target.js";
export { cgroupTargetForPid, readCgroupLayout } from "./monitors/containers/cgroup-target.js";
export type {
  ContainerDetailMetrics,
  ContainerMetrics,
  ContainerMonitorOptions,
} from "./monitors/containers/container-monitor.js";
export { ContainerMonitor, createContainerMonitor } from "./monitors/containers/container-monitor.js";
export type {
  DockerClient,
  DockerClientOptions,
  DockerContainer,
  DockerStats,
} from "./monitors/containers/docker-client.js";
export { cpuPercentBetween, createDockerClient } from "./monitors/containers/docker-client.js";
export type { EffectiveView, SelfCgroupMonitorOptions } from "./monitors/containers/self-cgroup-monitor.js";
export { createSelfCgroupMonitor, SelfCgroupMonitor } from "./monitors/containers/self-cgroup-monitor.js";
export type {
  Frame,
  FrameErrorReason,
  FrameMonitorOptions,
  FrameStats,
} from "./monitors/gpu/frame-monitor.js";
export { createGpuMonitor, FrameMonitor } from "./monitors/gpu/frame-monitor.js";
export type { GpuReportFields, HookTimings } from "./monitors/gpu/gpu-report.js";
export { FRAME_HOOKS, FrameHook, GpuReport, hookTimingsFromTimestamps } from "./monitors/gpu/gpu-report.js";
export type { GpuDeviceSample, GpuProcessSample, GpuSample } from "./monitors/gpu/gpu-sample.js";
export type { MemoryVramProvider } from "./monitors/gpu/memory-vram-provider.js";
export { createMemoryVramProvider } from "./monitors/gpu/memory-vram-provider.js";
export type { NvidiaMonitorOptions } from "./monitors/gpu/nvidia-monitor.js";
export { createNvidiaMonitor, NvidiaMonitor } from "./monitors/gpu/nvidia-monitor.js";
export type { NvidiaProvider, NvidiaProviderOptions, NvidiaStatus } from "./monitors/gpu/nvidia-provider.js";
export { createNvidiaProvider, NvidiaBackend } from "./monitors/gpu/nvidia-provider.js";
export {
  parseComputeAppsCsv,
  parseQueryGpuCsv,
  SMI_APP_FIELDS,
  SMI_GPU_FIELDS,
} from "./monitors/gpu/smi-csv.js";
export type { VramMonitorOptions, VramProvider, VramReport } from "./monitors/gpu/vram-monitor.js";
export { createVramMonitor, VramMonitor } from "./monitors/gpu/vram-monitor.js";
export type { CpuMonitorOptions } from "./monitors/host/cpu-monitor.js";
export { CpuMonitor } from "./monitors/host/cpu-monitor.js";
export type { HostMonitorsOptions, HostSubsystem } from "./monitors/host/create-host-monitors.js";
export { createHostMonitors, HOST_SUBSYSTEMS } from "./monitors/host/create-host-monitors.js";
export type { DiskMonitorOptions } from "./monitors/host/disk-monitor.js";
export { DiskMonitor } from "./monitors/host/disk-monitor.js";
export type {
  FilesystemMonitorOptions,
  FilesystemTotals,
  StatfsFn,
} from "./monitors/host/filesystem-monitor.js";
export { FilesystemMonitor } from "./monitors/host/filesystem-monitor.js";
export type { MemorySummary } from "./monitors/host/meminfo.js";
export type { MemoryMonitorOptions as HostMemoryMonitorOptions } from "./monitors/host/memory-monitor.js";
export { HostMemoryMonitor } from "./monitors/host/memory-monitor.js";
export type { NetworkMonitorOptions, NetworkTotals } from "./monitors/host/network-monitor.js";
export { NetworkMonitor } from "./monitors/host/network-monitor.js";
export { PressureMonitor } from "./monitors/host/pressure-monitor.js";
export type { ProcessMonitorOptions, ProcessRow } from "./monitors/host/process-monitor.js";
export { ProcessMonitor } from "./monitors/host/process-monitor.js";
export type { SystemMetrics, SystemMonitorOptions } from "./monitors/host/system-monitor.js";
export { SystemMonitor } from "./monitors/host/system-monitor.js";
export type { HeapReading, MemoryMonitorOptions } from "./monitors/memory/memory-monitor.js";
export { MemoryResourceMonitor } from "./monitors/memory/memory-monitor.js";
export type { FragmentationStatus, MemoryReportFields } from "./monitors/memory/memory-report.js";
export { FRAGMENTATION_THRESHOLDS, MemoryReport } from "./monitors/memory/memory-report.js";
export type { NodeMemoryMonitorOptions } from "./monitors/memory/node-memory-monitor.js";
export { createMemoryMonitor, readV8Heap } from "./monitors/memory/node-memory-monitor.js";
export type { AllocatorStats, TrackedAllocator } from "./monitors/memory/tracked-allocator.js";
export { createTrackedAllocator, LARGE_ALLOCATION_BYTES } from "./monitors/memory/tracked-allocator.js";
export type { MonitorRegistry } from "./monitors/monitor-registry.js";
export { createMonitorRegistry } from "./monitors/monitor-registry.js";
export type {
  ProcessCpuMetrics,
  ProcessMemoryMetrics,
  ResourceMetrics,
} from "./monitors/resource-metrics.js";
export { readResourceMetrics, resourceLimitUsage } from "./monitors/resource-metrics.js";
export type { ResourceMonitor, ResourceUsageReport } from "./monitors/resource-monitor.js";
export { emptyUsageReport, MonitoredResourceType } from "./monitors/resource-monitor.js";
export type { LoopDelayStats } from "./monitors/runtime/event-loop.js";
export type { RuntimeMonitorOptions } from "./monitors/runtime/runtime-monitor.js";
export { createRuntimeMonitor, RuntimeMonitor } from "./monitors/runtime/runtime-monitor.js";
export type {
  MonitorRunResult,
  MonitorScheduler,
  MonitorSchedulerOptions,
  MonitorStatus,
} from "./monitors/scheduler.js";
export { createMonitorScheduler } from "./monitors/scheduler.js";
export type { ResourceBudget, ResourceStats } from "./resources/budget.js";
export type { ResourceHandle } from "./resources/handle-table.js";
export type { HostMemorySignals, HostPressureTarget } from "./resources/host-pressure.js";
export { createHostPressureFeed, hostPressureLevel } from "./resources/host-pressure.js";
export type { LeakReport, LiveResource } from "./resources/live-resources.js";
export { LocalBlockPool } from "./resources/local-block-pool.js";
export type {
  AcquireOptions,
  ManagerCounters,
  PressureCallback,
  ReclamationCallback,
  ResourceManagerOptions,
  ResourcesReport,
} from "./resources/manager-types.js";
export type { LeaseInfo, ObjectPoolOptions } from "./resources/object-pool.js";
export { createObjectPool, ObjectPool } from "./resources/object-pool.js";
export type { PlatformOptions } from "./resources/platform.js";
export { PlatformPreset, pickPreset, platformBudgets, scalePoolCount } from "./resources/platform.js";
export type { BlockPool, PoolConfig, PoolStats, SlabAllocator } from "./resources/pool-config.js";
export { PoolManager } from "./resources/pool-manager.js";
export { createResourceManager, ResourceManager } from "./resources/resource-manager.js";
export { instrumentResourceManager } from "./resources/resource-metrics.js";
export { ResourceRef, ScopedResource, SharedResource } from "./resources/resource-ref.js";
export type { AcquireErrorData, AcquireResult } from "./resources/result.js";
export type { SharedPoolDescriptor } from "./resources/shared-block-pool.js";
export { attachSharedBlockPool, SharedBlockPool } from "./resources/shared-block-pool.js";
export type { ResourceMetadata } from "./resources/types.js";
export {
  AccessPattern,
  AcquisitionMode,
  allResourceTypes,
  pressureName,
  ResourceFlags,
  ResourcePressure,
  ResourcePriority,
  ResourceType,
  resourceTypeName,
} from "./resources/types.js";
export type { AppOptions } from "./server/app.js";
export { createServerApp } from "./server/app.js";
export type { ListenOptions, RunningServer } from "./server/listen.js";
export { listen } from "./server/listen.js";
export type { AlertsSource, AlertView, LiveSample, ServerSources, SilenceView } from "./server/sources.js";
export type {
  Alert as TrackerAlert,
  HandleLeak,
  HourProfile,
  LeakAnalysisOptions,
  LeakSuspect,
  Percentiles,
  ResourceStats as TrackerResourceStats,
  ResourceTrackerOptions,
  SharedUsageLayout,
  ThresholdOptions,
  UsagePattern,
} from "./tracker/index.js";
export {
  createSharedUsageBuffer,
  ReportFormat,
  ResourceHandle as TrackerResourceHandle,
  ResourceTracker,
  SharedUsageConsumer,
  SharedUsageRecorder,
  ThresholdDirection,
} from "./tracker/index.js";
