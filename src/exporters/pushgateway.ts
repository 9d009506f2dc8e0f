/**
 * Prometheus Pushgateway: the snapshot as Prometheus text (0.0.4) to
 * `{endpoint}/metrics/job/{job}{/label/value...}`, for hosts a Prometheus cannot scrape.
 * https://github.com/prometheus/pushgateway#api
 *
 * `PUT` (default) replaces the whole group, `POST` only the metrics of the same name;
 * `deleteGroup()` removes the group. The Pushgateway keeps one value per series, so a push
 * replaces a snapshot still queued (last value wins) and a snapshot is never split across
 * requests (a PUT of half of one would delete the other half). A push starts a send at once.
 * Values with a `/`, and empty ones, go in the URL in the `label@base64/value` form the API
 * defines.
 */
import { encodePrometheusText } from "../expose/prometheus-text.js";
import type { Labels } from "../metrics/snapshot.js";
import type { Exporter } from "./exporter.js";
import { type FetchLike, type SendOutcome, sendHttp } from "./http-transport.js";
import { PushExporter, type PushExporterOptions } from "./push-exporter.js";

export interface PushgatewayOptions
  extends Omit<PushExporterOptions, "transport" | "type" | "batchSize" | "coalesce"> {
  /** Base URL of the Pushgateway (`http://pushgateway:9091`). */
  readonly endpoint: string;
  /** The `job` grouping label. */
  readonly job: string;
  /** More grouping labels (`instance`). */
  readonly groupingKey?: Labels;
  /** Default PUT. */
  readonly method?: "PUT" | "POST";
  /** `Authorization` header value for every request. */
  readonly authorization?: string;
  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per-request limit (default 10 s). */
  readonly timeoutMs?: number;
  /** Replaces global fetch (tests). */
  readonly fetch?: FetchLike;
}

export interface PushgatewayExporter extends Exporter {
  /** Deletes this exporter's group from the Pushgateway (`DELETE`); resolves to the outcome, never rejects. */
  deleteGroup(): Promise<SendOutcome>;
}

function base64url(value: string): string {
  if (value === "") return "=";
  return Buffer.from(value, "utf8").toString("base64url");
}

function segment(name: string, value: string): string {
  if (value === "" || value.includes("/")) return `/${name}@base64/${base64url(value)}`;
  return `/${name}/${encodeURIComponent(value)}`;
}

/** The group's URL: `/metrics/job/<job>` then one segment per grouping label, sorted by name. */
export function pushgatewayUrl(endpoint: string, job: string, groupingKey: Labels = {}): string {
  let path = `/metrics${segment("job", job)}`;
  for (const k of Object.keys(groupingKey).sort()) path += segment(k, groupingKey[k]);
  return `${endpoint.replace(/\/+$/, "")}${path}`;
}

export function createPushgatewayExporter(options: PushgatewayOptions): PushgatewayExporter {
  const url = pushgatewayUrl(options.endpoint, options.job, options.groupingKey);
  const headers = (own: Record<string, string>) => {
    const h: Record<string, string> = { ...own, ...options.headers };
    if (options.authorization) h.Authorization = options.authorization;
    return h;
  };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const inner = new PushExporter({
    ...options,
    type: "pushgateway",
    coalesce: true,
    transport: (batch) =>
      sendHttp(
        {
          url,
          method: options.method ?? "PUT",
          headers: headers({ "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }),
          body: encodePrometheusText(batch[0]),
          timeoutMs,
        },
        options.fetch,
      ),
  });
  return {
    name: inner.name,
    type: inner.type,
    push: (s) => inner.push(s),
    flush: () => inner.flush(),
    close: () => inner.close(),
    stats: () => inner.stats(),
    deleteGroup: () => sendHttp({ url, method: "DELETE", headers: headers({}), timeoutMs }, options.fetch),
  };
}
