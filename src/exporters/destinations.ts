/**
 * Per destination: where the body goes, how it is encoded, which headers it carries. Each
 * returns a Transport for the push loop; the encoders are the pure ones in `src/expose/`.
 */
import { gzipSync } from "node:zlib";
import {
  type ElasticsearchBulkOptions,
  encodeElasticsearchBulk,
  validateIndexPattern,
} from "../expose/elasticsearch-bulk.js";
import { encodeInfluxLines, type InfluxLineOptions } from "../expose/influx-line.js";
import { encodeOtlpJson, type OtlpJsonOptions } from "../expose/otlp-json.js";
import { encodeRemoteWrite, type RemoteWriteOptions, remoteWriteHeaders } from "../expose/remote-write.js";
import { type FetchLike, type SendOutcome, sendHttp } from "./http-transport.js";
import type { Transport } from "./push-exporter.js";

export interface HttpTarget {
  /** The URL from config; each destination adds its default path when it has none. */
  readonly endpoint: string;
  /** `Authorization` header value, when the destination needs one. */
  readonly authorization?: string;
  /** Extra headers (tenant ids, `X-Scope-OrgID`...). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Compress text bodies (line protocol, OTLP JSON, bulk NDJSON) with gzip and say so in
   * `Content-Encoding`; InfluxDB, VictoriaMetrics, OTLP receivers and Elasticsearch all accept
   * it. Remote write is always snappy and ignores this.
   */
  readonly gzip?: boolean;
  /** Per-request limit; past it the attempt counts as retryable. */
  readonly timeoutMs: number;
  /** Replaces global fetch (tests). */
  readonly fetch?: FetchLike;
}

const USER_AGENT = "headroom-exporter/0.1";

function headers(target: HttpTarget, own: Record<string, string>): Record<string, string> {
  const h: Record<string, string> = { "User-Agent": USER_AGENT, ...own, ...target.headers };
  if (target.authorization) h.Authorization = target.authorization;
  return h;
}

/** A text body and its headers, gzip-compressed when the target asks for it. */
function textBody(target: HttpTarget, text: string, contentType: string) {
  if (!target.gzip) return { body: text, headers: headers(target, { "Content-Type": contentType }) };
  return {
    body: new Uint8Array(gzipSync(text)),
    headers: headers(target, { "Content-Type": contentType, "Content-Encoding": "gzip" }),
  };
}

/** The endpoint with `path` appended when it has no path of its own (`http://h:8428` -> `/write`). */
export function withDefaultPath(endpoint: string, path: string): string {
  const u = new URL(endpoint);
  if (u.pathname === "" || u.pathname === "/") u.pathname = path;
  return u.toString();
}

export function remoteWriteTransport(target: HttpTarget, options: RemoteWriteOptions): Transport {
  const url = withDefaultPath(target.endpoint, "/api/v1/write");
  return async (batch) => {
    const { body } = encodeRemoteWrite(batch, options);
    return sendHttp(
      { url, headers: headers(target, { ...remoteWriteHeaders }), body, timeoutMs: target.timeoutMs },
      target.fetch,
    );
  };
}

export interface InfluxTargetOptions extends InfluxLineOptions {
  /** InfluxDB 1.x database (`db`); 2.x endpoints (`/api/v2/write`) carry bucket and org in the URL. */
  readonly database?: string;
}

export function influxTransport(target: HttpTarget, options: InfluxTargetOptions): Transport {
  const u = new URL(withDefaultPath(target.endpoint, "/write"));
  const v2 = u.pathname.endsWith("/api/v2/write");
  const precision = options.precision ?? "ns";
  if (options.database && !v2) u.searchParams.set("db", options.database);
  // 1.x spells the precisions n, u, ms, s; 2.x ns, us, ms, s.
  u.searchParams.set(
    "precision",
    v2 ? precision : ({ ns: "n", us: "u", ms: "ms", s: "s" } as const)[precision],
  );
  const url = u.toString();
  return async (batch) => {
    const { body, skipped } = encodeInfluxLines(batch, options);
    if (body === "") return { kind: "ok", skipped };
    const outcome = await sendHttp(
      { url, ...textBody(target, body, "text/plain; charset=utf-8"), timeoutMs: target.timeoutMs },
      target.fetch,
    );
    return { ...outcome, skipped };
  };
}

export function otlpTransport(target: HttpTarget, options: OtlpJsonOptions): Transport {
  const url = withDefaultPath(target.endpoint, "/v1/metrics");
  return async (batch) =>
    sendHttp(
      {
        url,
        ...textBody(target, encodeOtlpJson(batch, options), "application/json"),
        timeoutMs: target.timeoutMs,
      },
      target.fetch,
    );
}

/**
 * `_bulk` answers 200 even when documents failed; `errors: true` means look at each item.
 * 409 (the document id already exists) is a success: an earlier attempt of this batch got
 * through. 429 and 5xx items make the whole batch retry (ids make that safe); any other item
 * failure is permanent.
 */
export function inspectBulkResponse(text: string): SendOutcome {
  let parsed: {
    errors?: boolean;
    items?: Record<string, { status?: number; error?: { reason?: string } }>[];
  };
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: "reject", reason: "bulk response is not JSON" };
  }
  if (!parsed.errors) return { kind: "ok" };
  let retry: string | undefined;
  let reject: string | undefined;
  for (const item of parsed.items ?? []) {
    const result = Object.values(item)[0];
    const status = result?.status ?? 0;
    if (status < 300 || status === 409) continue;
    const why = `item status ${status}${result?.error?.reason ? `: ${result.error.reason}` : ""}`;
    if (status === 429 || status >= 500) retry ??= why;
    else reject ??= why;
  }
  if (retry) return { kind: "retry", reason: `bulk: ${retry}` };
  if (reject) return { kind: "reject", reason: `bulk: ${reject}` };
  return { kind: "ok" };
}

export function elasticsearchTransport(target: HttpTarget, options: ElasticsearchBulkOptions): Transport {
  if (options.indexPattern) validateIndexPattern(options.indexPattern);
  const u = new URL(target.endpoint);
  if (!u.pathname.endsWith("/_bulk")) u.pathname = `${u.pathname.replace(/\/$/, "")}/_bulk`;
  const url = u.toString();
  return async (batch) => {
    const { body, skipped } = encodeElasticsearchBulk(batch, options);
    if (body === "") return { kind: "ok", skipped };
    const outcome = await sendHttp(
      {
        url,
        ...textBody(target, body, "application/x-ndjson"),
        timeoutMs: target.timeoutMs,
        inspect: inspectBulkResponse,
      },
      target.fetch,
    );
    return { ...outcome, skipped };
  };
}
