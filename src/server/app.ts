/**
 * The HTTP API and dashboard as a Hono app: `/metrics`, `/api/v1/*`, the live stream,
 * `/healthz`, `/readyz` and the static dashboard. Pure request handling over `ServerSources`;
 * `listen.ts` binds it to a socket. Every API parameter is validated (unknown ones too) and
 * answered with a 400 and a JSON body on error; an unexpected failure is a 500 whose body never
 * carries a stack trace.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import { ErrorCode, errorMessage, HeadroomError, isHeadroomError } from "../errors.js";
import type { StaticFiles } from "./dashboard-files.js";
import { DEFAULT_POINTS, MAX_POINTS, parseIntParam, parseRange, parseSelector } from "./params.js";
import { type AuthOptions, requireAuth, securityHeaders } from "./security.js";
import { silenceInput } from "./silence-body.js";
import type { ServerSources } from "./sources.js";

export interface AppOptions {
  readonly auth?: AuthOptions;
  /** Scrapes of /metrics served at once; the next one gets 503 with Retry-After. Default 4. */
  readonly maxConcurrentScrapes?: number;
  /** Live-stream clients at once. Default 32. */
  readonly maxStreams?: number;
  /** The built dashboard; omitted, `/` answers 404. */
  readonly dashboard?: StaticFiles;
  /** Where unexpected errors go (the agent's logger). */
  readonly onError?: (err: unknown, path: string) => void;
  /** The clock, for relative times in queries. */
  readonly now?: () => number;
}

/** At most this many series come back from one query. */
export const MAX_QUERY_SERIES = 64;

function checkParams(c: Context, allowed: readonly string[]): void {
  for (const key of Object.keys(c.req.queries())) {
    if (!allowed.includes(key)) {
      const hint = allowed.length ? `; allowed: ${allowed.join(", ")}` : "";
      throw new HeadroomError(ErrorCode.InvalidArgument, `[server] unknown parameter "${key}"${hint}`, {
        data: { param: key },
      });
    }
  }
}

const notEnabled = (c: Context, what: string) =>
  c.json({ error: `${what} is not enabled in this agent` }, 404);

export function createServerApp(sources: ServerSources, options: AppOptions = {}): Hono {
  const app = new Hono();
  const now = options.now ?? Date.now;
  const maxScrapes = options.maxConcurrentScrapes ?? 4;
  const maxStreams = options.maxStreams ?? 32;
  let scrapes = 0;
  let streams = 0;

  app.use("*", securityHeaders());
  app.use("*", requireAuth(options.auth ?? {}));

  app.onError((err, c) => {
    if (isHeadroomError(err, ErrorCode.InvalidArgument))
      return c.json({ error: err.message, ...err.data }, 400);
    if (isHeadroomError(err, ErrorCode.NotFound)) return c.json({ error: err.message }, 404);
    options.onError?.(err, c.req.path);
    return c.json({ error: "internal error" }, 500);
  });
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));

  app.get("/healthz", (c) => c.json(sources.health()));
  app.get("/readyz", (c) => (sources.ready() ? c.json({ ready: true }) : c.json({ ready: false }, 503)));

  app.get("/metrics", async (c) => {
    if (scrapes >= maxScrapes) {
      c.header("Retry-After", "1");
      return c.json({ error: `more than ${maxScrapes} scrapes at once` }, 503);
    }
    scrapes++;
    try {
      const { contentType, body } = await sources.renderMetrics(c.req.header("accept"));
      return c.body(body, 200, { "Content-Type": contentType });
    } finally {
      scrapes--;
    }
  });

  app.get("/api/v1/snapshot", (c) => {
    checkParams(c, []);
    return c.json(sources.snapshot());
  });

  app.get("/api/v1/series", async (c) => {
    checkParams(c, ["match"]);
    const match = c.req.query("match");
    const selector = match ? parseSelector("match", match) : undefined;
    if (sources.history) {
      const list = await sources.history.listSeries(selector);
      return c.json({ series: list.map(({ key, name, labels }) => ({ key, name, labels })) });
    }
    const series = sources
      .snapshot()
      .families.filter((f) => !selector || f.name === selector.name)
      .flatMap((f) => f.series.map((s) => ({ name: f.name, labels: s.labels })));
    return c.json({ series });
  });

  app.get("/api/v1/query", async (c) => {
    checkParams(c, ["series", "from", "to", "points"]);
    const selector = parseSelector("series", c.req.query("series"));
    const range = parseRange(c.req.query("from"), c.req.query("to"), now());
    const maxPoints = parseIntParam("points", c.req.query("points"), DEFAULT_POINTS, 2, MAX_POINTS);
    const history = sources.history;
    if (!history) return notEnabled(c, "history");
    const matches = await history.listSeries(selector);
    if (matches.length > MAX_QUERY_SERIES) {
      throw new HeadroomError(
        ErrorCode.InvalidArgument,
        `[server] series: ${matches.length} series match; narrow it with labels (at most ${MAX_QUERY_SERIES})`,
        { data: { param: "series" } },
      );
    }
    const series = await Promise.all(
      matches.map(async (m) => {
        const points = await history.queryDownsampled(
          { name: m.name, labels: m.labels },
          { ...range, maxPoints },
        );
        return { name: m.name, labels: m.labels, points: points.map((p) => [p.t, p.v]) };
      }),
    );
    return c.json({ from: range.startMs, to: range.endMs, series });
  });

  app.get("/api/v1/monitors", (c) => {
    checkParams(c, []);
    return sources.monitors ? c.json({ monitors: sources.monitors() }) : notEnabled(c, "monitors");
  });

  app.get("/api/v1/resources", (c) => {
    checkParams(c, []);
    return sources.resources ? c.json(sources.resources()) : notEnabled(c, "the resource manager");
  });

  app.get("/api/v1/alerts", (c) => {
    checkParams(c, ["state"]);
    const alerts = sources.alerts;
    if (!alerts) return notEnabled(c, "alerting");
    const state = c.req.query("state");
    const states = ["pending", "firing", "resolved", "inactive"];
    if (state !== undefined && !states.includes(state)) {
      throw new HeadroomError(
        ErrorCode.InvalidArgument,
        `[server] state: expected one of ${states.join(", ")}`,
        {
          data: { param: "state" },
        },
      );
    }
    const list = alerts.alerts().filter((a) => state === undefined || a.state === state);
    return c.json({ alerts: list, silences: alerts.silences() });
  });

  app.get("/api/v1/silences", (c) => {
    checkParams(c, []);
    return sources.alerts ? c.json({ silences: sources.alerts.silences() }) : notEnabled(c, "alerting");
  });

  app.post(
    "/api/v1/silences",
    bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.json({ error: "body too large" }, 413) }),
    async (c) => {
      checkParams(c, []);
      if (!sources.alerts) return notEnabled(c, "alerting");
      let body: unknown;
      try {
        body = await c.req.json();
      } catch (err) {
        throw new HeadroomError(
          ErrorCode.InvalidArgument,
          `[server] body: not valid JSON (${errorMessage(err)})`,
        );
      }
      return c.json(sources.alerts.addSilence(silenceInput(body)), 201);
    },
  );

  app.delete("/api/v1/silences/:id", (c) => {
    checkParams(c, []);
    if (!sources.alerts) return notEnabled(c, "alerting");
    const id = c.req.param("id");
    return sources.alerts.removeSilence(id) ? c.body(null, 204) : c.json({ error: `no silence ${id}` }, 404);
  });

  app.get("/api/v1/stream", (c) => {
    checkParams(c, []);
    if (streams >= maxStreams) return c.json({ error: `more than ${maxStreams} live streams` }, 503);
    streams++;
    return streamSSE(c, async (stream) => {
      let done: () => void = () => {};
      const closed = new Promise<void>((resolve) => {
        done = resolve;
      });
      const unsubscribe = sources.subscribe((sample) => {
        stream.writeSSE({ event: "sample", data: JSON.stringify(sample) }).catch(done);
      });
      stream.onAbort(done);
      try {
        await stream.writeSSE({ event: "hello", data: JSON.stringify({ t: now() }) });
        await closed;
      } finally {
        unsubscribe();
        streams--;
      }
    });
  });

  const files = options.dashboard;
  app.get("/*", (c) => {
    if (!files) return c.json({ error: "the dashboard is not built (npm run build)" }, 404);
    const file = files.get(c.req.path === "/" ? "/index.html" : c.req.path);
    if (!file) return c.json({ error: `no file ${c.req.path}` }, 404);
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": file.contentType,
      "Cache-Control": file.immutable ? "public, max-age=86400" : "no-cache",
    });
  });

  return app;
}
