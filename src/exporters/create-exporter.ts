/**
 * `createExporter(config)`: one exporter from a seed 003 `[[monitoring.exporters]]` entry
 * (name, type, endpoint, credentials, batch_size, flush_interval), as the agent's config
 * loader produces it, plus the optional settings each destination understands.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { InfluxPrecision } from "../expose/influx-line.js";
import type { Registry } from "../metrics/registry.js";
import type { Labels } from "../metrics/snapshot.js";
import { authorizationHeader, type Credentials, resolveCredentials } from "./credentials.js";
import {
  elasticsearchTransport,
  type HttpTarget,
  influxTransport,
  otlpTransport,
  remoteWriteTransport,
} from "./destinations.js";
import type { Exporter } from "./exporter.js";
import type { FetchLike } from "./http-transport.js";
import { PushExporter, type Transport } from "./push-exporter.js";
import { createPushgatewayExporter } from "./pushgateway.js";
import { createStatsdExporter } from "./statsd-exporter.js";

export interface ExporterConfig {
  /** Unique per agent: the `exporter` label, the spool file name and the env prefix for credentials. */
  readonly name: string;
  /**
   * `prometheus`, `remote_write` and `victoriametrics` send Prometheus remote write 1.0;
   * `influxdb` line protocol; `otlp` OTLP/HTTP JSON; `elasticsearch` `_bulk`; `pushgateway`
   * Prometheus text to a Pushgateway group; `statsd` and `dogstatsd` UDP lines to
   * `udp://host:port`; `custom` the
   * `transport` given in the options. Case-insensitive (the seed writes `"Prometheus"`).
   */
  readonly type: string;
  /** Destination URL (`http(s)://`; `udp://host:port` for StatsD). */
  readonly endpoint: string;
  /** Basic or bearer credentials; without them `HEADROOM_EXPORTER_<NAME>_*` from the environment. */
  readonly credentials?: Credentials;
  /** Most samples per request. Default 100. */
  readonly batchSize?: number;
  /** Milliseconds between timed flushes. Default 30 000. */
  readonly flushInterval?: number;
  /** InfluxDB 1.x database, or the Elasticsearch index pattern. */
  readonly database?: string;
  /** Queue bound in samples (default max(10 000, 100 x batchSize)). */
  readonly maxQueueSamples?: number;
  /** Directory for the durable queue; without it the queue lives in memory only. */
  readonly spoolDir?: string;
  /** First retry delay in ms (default 500); doubles per failed attempt, with jitter. */
  readonly minBackoffMs?: number;
  /** Longest retry delay in ms (default 30 000). */
  readonly maxBackoffMs?: number;
  /** Gzip text bodies (InfluxDB, OTLP, Elasticsearch). Default false. */
  readonly gzip?: boolean;
  /** Per-request timeout in ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Extra request headers (a tenant id, for instance). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Labels added to every series: `instance`, `job`, `host` (remote write, Influx tags, ES labels). */
  readonly externalLabels?: Labels;
  /** InfluxDB timestamp precision. Default `ns`. */
  readonly precision?: InfluxPrecision;
  /** OTLP resource attributes. Default `service.name=headroom` plus `externalLabels`. */
  readonly resource?: Labels;
  /** Pushgateway `job` grouping label. Default `headroom`; `externalLabels` are the rest of the grouping key. */
  readonly job?: string;
  /** Pushgateway method: PUT (replace the group, default) or POST (replace same-named metrics). */
  readonly method?: "PUT" | "POST";
  /** Elasticsearch index pattern (`{yyyy}`, `{MM}`, `{dd}`, `{HH}`, `{name}`); overrides `database`. */
  readonly indexPattern?: string;
}

export interface CreateExporterOptions {
  /** Where the self-metrics go. */
  readonly registry?: Registry;
  /** Environment for credentials (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** For `type = "custom"`: the function that sends a batch. */
  readonly transport?: Transport;
  /** Replaces global fetch (tests, proxies). */
  readonly fetch?: FetchLike;
}

function configError(name: string, what: string, data: Record<string, unknown>): HeadroomError {
  return new HeadroomError(ErrorCode.Config, `[exporter:${name}] ${what}`, {
    data: { exporter: name, ...data },
  });
}

/** Builds the exporter; throws HR_CONFIG for an unknown type, a bad endpoint or bad credentials. */
export function createExporter(config: ExporterConfig, options: CreateExporterOptions = {}): Exporter {
  const name = config.name;
  if (!name) throw configError("?", "name is required", {});
  const type = config.type.toLowerCase();
  if (type === "statsd" || type === "dogstatsd") {
    let url: URL;
    try {
      url = new URL(config.endpoint);
    } catch {
      throw configError(name, `endpoint is not a URL`, { key: "endpoint" });
    }
    if (url.protocol !== "udp:")
      throw configError(name, `endpoint must be udp://host:port`, { key: "endpoint" });
    return createStatsdExporter({
      name,
      flavor: type,
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port ? Number(url.port) : 8125,
      defaultTags: config.externalLabels,
      flushIntervalMs: config.flushInterval,
      maxQueuedLines: config.maxQueueSamples,
      registry: options.registry,
    });
  }
  if (type !== "custom") {
    let url: URL;
    try {
      url = new URL(config.endpoint);
    } catch {
      throw configError(name, `endpoint is not a URL`, { key: "endpoint" });
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw configError(name, `endpoint must be http or https, got ${url.protocol}`, { key: "endpoint" });
    }
  }
  const credentials = resolveCredentials(name, config.credentials, options.env ?? process.env);
  const v2 = type === "influxdb" && config.endpoint.includes("/api/v2/write");
  const target: HttpTarget = {
    endpoint: config.endpoint,
    authorization: authorizationHeader(name, credentials, v2 ? "Token" : "Bearer"),
    headers: config.headers,
    timeoutMs: config.timeoutMs ?? 10_000,
    gzip: config.gzip,
    fetch: options.fetch,
  };
  const external = config.externalLabels;
  let transport: Transport;
  let kind: string;
  switch (type) {
    case "prometheus":
    case "remote_write":
    case "victoriametrics":
      kind = "remote_write";
      transport = remoteWriteTransport(target, { externalLabels: external });
      break;
    case "influxdb":
      kind = "influxdb";
      transport = influxTransport(target, {
        database: config.database,
        precision: config.precision,
        defaultTags: external,
      });
      break;
    case "otlp":
      kind = "otlp";
      transport = otlpTransport(target, {
        resource: config.resource ?? { "service.name": "headroom", ...external },
      });
      break;
    case "elasticsearch":
    case "opensearch":
      kind = "elasticsearch";
      transport = elasticsearchTransport(target, {
        indexPattern: config.indexPattern ?? config.database,
        defaultLabels: external,
      });
      break;
    case "pushgateway":
      return createPushgatewayExporter({
        name,
        endpoint: config.endpoint,
        job: config.job ?? "headroom",
        groupingKey: external,
        method: config.method,
        authorization: target.authorization,
        headers: config.headers,
        timeoutMs: target.timeoutMs,
        fetch: options.fetch,
        flushIntervalMs: config.flushInterval,
        maxQueueSamples: config.maxQueueSamples,
        spoolDir: config.spoolDir,
        registry: options.registry,
        backoff: { minMs: config.minBackoffMs, maxMs: config.maxBackoffMs },
      });
    case "custom":
      if (!options.transport)
        throw configError(name, `type "custom" needs a transport function`, { key: "type" });
      kind = "custom";
      transport = options.transport;
      break;
    default:
      throw configError(name, `unknown exporter type "${config.type}"`, { key: "type", type: config.type });
  }
  return new PushExporter({
    name,
    type: kind,
    transport,
    batchSize: config.batchSize,
    flushIntervalMs: config.flushInterval,
    maxQueueSamples: config.maxQueueSamples,
    spoolDir: config.spoolDir,
    registry: options.registry,
    backoff: { minMs: config.minBackoffMs, maxMs: config.maxBackoffMs },
  });
}
