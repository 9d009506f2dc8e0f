/**
 * The `/metrics` endpoint as a Fetch-API handler (`(Request) => Promise<Response>`), so it
 * plugs into any server that speaks Request/Response (hono, Deno, Bun, workers) and into
 * node:http through `toNodeListener`. It negotiates the format and gzips when the client asks.
 */
import type { Registry } from "../metrics/registry.js";
import { negotiateExposition } from "./negotiate.js";

export interface MetricsHandlerOptions {
  /** Compress with gzip when the client sends `Accept-Encoding: gzip` (default true). */
  gzip?: boolean;
}

export type FetchHandler = (request: Request) => Promise<Response>;

export function createMetricsHandler(registry: Registry, options: MetricsHandlerOptions = {}): FetchHandler {
  const gzip = options.gzip ?? true;
  return async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    const exposition = negotiateExposition(request.headers.get("accept"));
    let body: string;
    try {
      body = exposition.encode(await registry.collect());
    } catch (err) {
      return new Response(`error collecting metrics: ${(err as Error).message}\n`, { status: 500 });
    }
    const headers: Record<string, string> = {
      "content-type": exposition.contentType,
      vary: "Accept, Accept-Encoding",
    };
    if (request.method === "HEAD") return new Response(null, { status: 200, headers });
    if (gzip && /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "")) {
      headers["content-encoding"] = "gzip";
      const stream = new Blob([body]).stream().pipeThrough(new CompressionStream("gzip"));
      return new Response(stream, { status: 200, headers });
    }
    return new Response(body, { status: 200, headers });
  };
}
