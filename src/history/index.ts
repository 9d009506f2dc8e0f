/** The history area's public surface (the conformance suite is imported by path from tests). */

export { decodeChunk, encodeChunk } from "./chunk-codec.js";
export type {
  AppendResult,
  DownsampleRange,
  HistoryStats,
  HistoryStore,
  RejectedCounts,
  RetentionResult,
  Sample,
  SeriesHandle,
  SeriesInfo,
  SeriesSelector,
  StepPoint,
  StepRange,
  TimeRange,
} from "./history-store.js";
export type { MemoryHistoryOptions } from "./memory-store.js";
export { createMemoryHistory } from "./memory-store.js";
export type { OpenedHistory, OpenHistoryOptions } from "./open-history.js";
export { openHistory } from "./open-history.js";
export type { DurationLike, TierConfig } from "./retention.js";
export { DEFAULT_TIERS } from "./retention.js";
export { seriesKey } from "./series.js";
export type { SqliteDiskUsage, SqliteHistoryOptions, SqliteHistoryStore } from "./sqlite-store.js";
export { openSqliteHistory } from "./sqlite-store.js";
