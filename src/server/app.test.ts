import assert from "node:assert/strict";
import { test } from "node:test";
import type { HistoryStore, SeriesInfo } from "../history/history-store.js";
import type { MetricsSnapshot } from "../metrics/snapshot.js";
import { createServerApp } from "./app.js";
import type { AlertsSource, LiveSample, ServerSources, SilenceView } from "./sources.js";

const snapshot: MetricsSnapshot = {
  timestampMs: 1_700_000_000_000,
  families: [
    {
      name: "node_load1",
      help: "1m load.",
      unit: "",
      labelNames: [],
      type: "gauge",
      series: [{ labels: {}, value: 0.5 }],
    },
  ],
};

/** Only the two query methods the server calls; the real stores run the history conformance suite. */
function fakeHistory(series: SeriesInfo[]): HistoryStore {
  return {
    listSeries: async (filter?: { name?: string; labels?: Record<string, string> }) =>
      series.filter(
        (s) =>
          (!filter?.name || s.name === filter.name) &&
          Object.entries(filter?.labels ?? {}).every(([k, v]) => s.labels[k] === v),
      ),
    queryDownsampled: async (_sel: unknown, range: { startMs: number; endMs: number; maxPoints: number }) => [
      { t: range.startMs, v: 1 },
      { t: range.endMs, v: 2 },
    ],
  } as unknown as HistoryStore;
}

function fakeAlerts(): AlertsSource & { list: SilenceView[] } {
  const list: SilenceView[] = [];
  return {
    list,
    alerts: () => [
      { name: "HighCpu", state: "firing", severity: "warning", labels: { alertname: "HighCpu" }, value: 93 },
    ],
    silences: () => list,
    addSilence: (input) => {
      const s = {
        id: String(list.length + 1),
        matchers: input.matchers,
        startsAtMs: 0,
        endsAtMs: input.durationMs,
        comment: input.comment,
        createdBy: input.createdBy,
      };
      list.push(s);
      return s;
    },
    removeSilence: (id) => list.some((s) => s.id === id),
  };
}

function sources(extra: Partial<ServerSources> = {}): ServerSources {
  return {
    renderMetrics: async () => ({
      contentType: "text/plain; version=0.0.4; charset=utf-8",
      body: "node_load1 0.5\n",
    }),
    snapshot: () => snapshot,
    health: () => ({ status: "ok", version: "0.1.0", uptimeSeconds: 1, problems: [] }),
    ready: () => true,
    subscribe: () => () => {},
    history: fakeHistory([
      { key: "node_load1", name: "node_load1", labels: {} },
      {
        key: 'node_cpu_seconds_total{cpu="0",mode="idle"}',
        name: "node_cpu_seconds_total",
        labels: { cpu: "0", mode: "idle" },
      },
      {
        key: 'node_cpu_seconds_total{cpu="1",mode="idle"}',
        name: "node_cpu_seconds_total",
        labels: { cpu: "1", mode: "idle" },
      },
    ]),
    alerts: fakeAlerts(),
    ...extra,
  };
}

const NOW = 1_700_000_000_000;

async function get(app: ReturnType<typeof createServerApp>, path: string, init?: RequestInit) {
  const res = await app.request(path, init);
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {}
  return { res, text, json };
}

test("health, readiness, metrics and security headers", async () => {
  let ready = false;
  const app = createServerApp(sources({ ready: () => ready }));
  assert.equal((await get(app, "/readyz")).res.status, 503);
  ready = true;
  assert.equal((await get(app, "/readyz")).res.status, 200);
  const health = await get(app, "/healthz");
  assert.equal(health.json?.status, "ok");
  const metrics = await get(app, "/metrics");
  assert.equal(metrics.res.status, 200);
  assert.match(metrics.res.headers.get("content-type") ?? "", /version=0\.0\.4/);
  assert.equal(metrics.text, "node_load1 0.5\n");
  assert.match(metrics.res.headers.get("content-security-policy") ?? "", /default-src 'self'/);
  assert.equal(metrics.res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(metrics.res.headers.get("x-frame-options"), "DENY");
});

test("query: downsampled history per matching series", async () => {
  const app = createServerApp(sources(), { now: () => NOW });
  const { res, json } = await get(
    app,
    `/api/v1/query?series=${encodeURIComponent('node_cpu_seconds_total{mode="idle"}')}&from=-15m&points=100`,
  );
  assert.equal(res.status, 200);
  const series = json?.series as { labels: Record<string, string>; points: number[][] }[];
  assert.equal(series.length, 2);
  assert.deepEqual(series[0].points, [
    [NOW - 900_000, 1],
    [NOW, 2],
  ]);
  const list = await get(app, "/api/v1/series?match=node_load1");
  assert.equal((list.json?.series as unknown[] | undefined)?.length, 1);
});

test("query: every bad parameter is a 400 with a JSON error naming it, no stack traces", async () => {
  const app = createServerApp(sources(), { now: () => NOW });
  const cases: [string, RegExp][] = [
    ["/api/v1/query", /series: required/],
    ["/api/v1/query?series=1bad", /series: "1bad" is not a metric name/],
    ["/api/v1/query?series=x{a=1}", /series: cannot read labels/],
    ["/api/v1/query?series=x{a=%221%22", /missing closing/],
    ["/api/v1/query?series=x&from=yesterday", /from: expected ms since the epoch/],
    ["/api/v1/query?series=x&from=now&to=-1h", /from: must be before to/],
    ["/api/v1/query?series=x&from=0&to=now", /wider than 400 days/],
    ["/api/v1/query?series=x&points=1", /points: expected 2 to 5000/],
    ["/api/v1/query?series=x&points=abc", /points: expected an integer/],
    ["/api/v1/query?series=x&bogus=1", /unknown parameter "bogus"/],
    ["/api/v1/alerts?state=burning", /state: expected one of/],
    ["/api/v1/snapshot?x=1", /unknown parameter "x"/],
  ];
  for (const [path, message] of cases) {
    const { res, json, text } = await get(app, path);
    assert.equal(res.status, 400, path);
    assert.match(String(json?.error), message, path);
    assert.doesNotMatch(text, /at \w+ \(|\.ts:\d+/, path);
  }
  const many = createServerApp(
    sources({
      history: fakeHistory(
        Array.from({ length: 100 }, (_, i) => ({ key: `x{i="${i}"}`, name: "x", labels: { i: String(i) } })),
      ),
    }),
    { now: () => NOW },
  );
  assert.match(String((await get(many, "/api/v1/query?series=x")).json?.error), /100 series match/);
});

test("unexpected failures are a bare 500; unknown routes a JSON 404", async () => {
  const seen: unknown[] = [];
  const app = createServerApp(
    sources({
      renderMetrics: async () => {
        throw new Error("secret internal detail");
      },
    }),
    { onError: (err) => seen.push(err) },
  );
  const { res, text } = await get(app, "/metrics");
  assert.equal(res.status, 500);
  assert.doesNotMatch(text, /secret/);
  assert.equal(seen.length, 1);
  const missing = await get(app, "/api/v1/nothing");
  assert.equal(missing.res.status, 404);
  assert.match(String(missing.json?.error), /no route|no file|not built/);
});

test("scrapes beyond the concurrency limit get 503 with Retry-After", async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const app = createServerApp(
    sources({
      renderMetrics: async () => {
        await gate;
        return { contentType: "text/plain", body: "" };
      },
    }),
    { maxConcurrentScrapes: 2 },
  );
  const first = [app.request("/metrics"), app.request("/metrics")];
  const third = await app.request("/metrics");
  assert.equal(third.status, 503);
  assert.equal(third.headers.get("retry-after"), "1");
  release();
  for (const r of await Promise.all(first)) assert.equal(r.status, 200);
  assert.equal((await app.request("/metrics")).status, 200);
});

test("bearer and basic auth guard everything but the probes", async () => {
  const app = createServerApp(sources(), {
    auth: { token: "t0ken-abcdef", username: "ops", password: "pw" },
  });
  assert.equal((await app.request("/metrics")).status, 401);
  assert.equal((await app.request("/healthz")).status, 200);
  assert.equal((await app.request("/readyz")).status, 200);
  assert.equal((await app.request("/metrics", { headers: { authorization: "Bearer wrong" } })).status, 401);
  assert.equal(
    (await app.request("/metrics", { headers: { authorization: "Bearer t0ken-abcdef" } })).status,
    200,
  );
  const basic = (u: string, p: string) => ({
    authorization: `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`,
  });
  assert.equal((await app.request("/metrics", { headers: basic("ops", "pw") })).status, 200);
  assert.equal((await app.request("/metrics", { headers: basic("ops", "nope") })).status, 401);
  assert.equal((await app.request("/metrics", { headers: { authorization: "Basic !!!" } })).status, 401);
  assert.equal((await app.request("/metrics", { headers: { authorization: "garbage" } })).status, 401);
  const res = await app.request("/api/v1/snapshot");
  assert.match(res.headers.get("www-authenticate") ?? "", /Basic/);
});

test("silences: create, validate, delete", async () => {
  const alerts = fakeAlerts();
  const app = createServerApp(sources({ alerts }));
  const post = (body: string) =>
    get(app, "/api/v1/silences", { method: "POST", body, headers: { "content-type": "application/json" } });
  const ok = await post(
    JSON.stringify({ matchers: { alertname: "HighCpu" }, duration: "2h", comment: "deploy" }),
  );
  assert.equal(ok.res.status, 201);
  assert.equal(alerts.list[0].endsAtMs, 7_200_000);
  for (const [body, message] of [
    ["{", /not valid JSON/],
    [JSON.stringify({ matchers: {}, duration: "1h" }), /at least one matcher/],
    [JSON.stringify({ matchers: { a: "b" }, duration: "forever" }), /body\.duration/],
    [JSON.stringify({ matchers: { "bad-name": "b" }, duration: "1h" }), /body\.matchers/],
    [JSON.stringify({ matchers: { a: "b" }, duration: "1h", extra: 1 }), /Unrecognized key/],
  ] as const) {
    const r = await post(body);
    assert.equal(r.res.status, 400, body);
    assert.match(String(r.json?.error), message, body);
  }
  assert.equal(
    (await post(JSON.stringify({ matchers: { a: "x".repeat(70_000) }, duration: "1h" }))).res.status,
    413,
  );
  assert.equal((await app.request("/api/v1/silences/1", { method: "DELETE" })).status, 204);
  assert.equal((await app.request("/api/v1/silences/99", { method: "DELETE" })).status, 404);
  const list = await get(app, "/api/v1/alerts?state=firing");
  assert.equal((list.json?.alerts as unknown[] | undefined)?.length, 1);
});

test("parts that are not enabled answer 404 with a reason", async () => {
  const app = createServerApp(sources({ alerts: undefined, history: undefined }));
  assert.match(String((await get(app, "/api/v1/alerts")).json?.error), /alerting is not enabled/);
  assert.match(String((await get(app, "/api/v1/query?series=x")).json?.error), /history is not enabled/);
  assert.match(String((await get(app, "/api/v1/monitors")).json?.error), /monitors is not enabled/);
  assert.equal((await get(app, "/api/v1/series")).res.status, 200);
});

test("the live stream pushes each sample set", async () => {
  const listeners = new Set<(s: LiveSample) => void>();
  const app = createServerApp(
    sources({
      subscribe: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    }),
  );
  const controller = new AbortController();
  const res = await app.request("/api/v1/stream", { signal: controller.signal });
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("event: hello")) text += decoder.decode((await reader.read()).value);
  for (const l of listeners) l({ t: 1, values: [["node_load1", 0.7]] });
  while (!text.includes("event: sample")) text += decoder.decode((await reader.read()).value);
  assert.match(text, /"node_load1",0\.7/);
  await reader.cancel();
  controller.abort();
});
