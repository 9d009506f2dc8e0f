// The exporters' public surface, re-exported by the package barrel in one block: push
// exporters, their contract and conformance harness types, and the pure push encoders.
export type {
  ElasticsearchBulk,
  ElasticsearchBulkOptions,
} from "../expose/elasticsearch-bulk.js";
export { encodeElasticsearchBulk, indexName, validateIndexPattern } from "../expose/elasticsearch-bulk.js";
export type { InfluxLineOptions, InfluxLines } from "../expose/influx-line.js";
export { encodeInfluxLines, escapeKey, escapeMeasurement, InfluxPrecision } from "../expose/influx-line.js";
export type { OtlpJsonOptions } from "../expose/otlp-json.js";
export { encodeOtlpJson, otlpRequest } from "../expose/otlp-json.js";
export type { PushSample } from "../expose/push-samples.js";
export { forEachSample, snapshotSampleCount } from "../expose/push-samples.js";
export type { RemoteWriteBody, RemoteWriteOptions } from "../expose/remote-write.js";
export { encodeRemoteWrite, encodeWriteRequest, remoteWriteHeaders } from "../expose/remote-write.js";
export type { DecodedMetadata, DecodedSeries, DecodedWriteRequest } from "../expose/remote-write-decode.js";
export { decodeRemoteWrite, decodeWriteRequestBytes } from "../expose/remote-write-decode.js";
export { snappyCompress, snappyUncompress } from "../expose/snappy.js";
export type { StatsdLines, StatsdOptions, StatsdState } from "../expose/statsd.js";
export { encodeStatsd, packDatagrams, StatsdFlavor } from "../expose/statsd.js";
export type { BackoffOptions } from "./backoff.js";
export { backoffDelay, parseRetryAfter } from "./backoff.js";
export type { DeliveredSample, ExporterHarness } from "./conformance.js";
export type { CreateExporterOptions, ExporterConfig } from "./create-exporter.js";
export { createExporter } from "./create-exporter.js";
export type { Credentials } from "./credentials.js";
export type { Exporter, ExporterStats } from "./exporter.js";
export type { MemoryExporter } from "./memory-exporter.js";
export { createMemoryExporter } from "./memory-exporter.js";
export type { PushExporterOptions, Transport, TransportResult } from "./push-exporter.js";
export { PushExporter } from "./push-exporter.js";
export type { PushgatewayExporter, PushgatewayOptions } from "./pushgateway.js";
export { createPushgatewayExporter, pushgatewayUrl } from "./pushgateway.js";
export { DropReason } from "./self-metrics.js";
export type { StatsdExporterOptions } from "./statsd-exporter.js";
export { createStatsdExporter } from "./statsd-exporter.js";
