// The resource manager on its own (`headroom/resources`): no node: imports, so it runs in browsers and workers.
export type { ResourceBudget, ResourceStats } from "./budget.js";
export type { ResourceHandle } from "./handle-table.js";
export type { HostMemorySignals, HostPressureTarget } from "./host-pressure.js";
export { createHostPressureFeed, hostPressureLevel } from "./host-pressure.js";
export type { LeakReport, LiveResource } from "./live-resources.js";
export { LocalBlockPool } from "./local-block-pool.js";
export type {
  AcquireOptions,
  ManagerCounters,
  PressureCallback,
  ReclamationCallback,
  ResourceManagerOptions,
  ResourcesReport,
} from "./manager-types.js";
export type { LeaseInfo, ObjectPoolOptions } from "./object-pool.js";
export { createObjectPool, ObjectPool } from "./object-pool.js";
export type { PlatformOptions } from "./platform.js";
export { PlatformPreset, pickPreset, platformBudgets, scalePoolCount } from "./platform.js";
export type { BlockPool, PoolConfig, PoolStats, SlabAllocator } from "./pool-config.js";
export { PoolManager } from "./pool-manager.js";
export { createResourceManager, ResourceManager } from "./resource-manager.js";
export { instrumentResourceManager } from "./resource-metrics.js";
export { ResourceRef, ScopedResource, SharedResource } from "./resource-ref.js";
export type { AcquireErrorData, AcquireResult } from "./result.js";
export type { SharedPoolDescriptor } from "./shared-block-pool.js";
export { attachSharedBlockPool, SharedBlockPool } from "./shared-block-pool.js";
export type { ResourceMetadata } from "./types.js";
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
} from "./types.js";
