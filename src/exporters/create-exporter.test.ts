import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { gunzipSync } from "node:zlib";
import {
  answer,
  hang,
  reset,
  type ScriptedServer,
  scriptedServer,
} from "../../test/fixtures/exporters/scripted-server.js";
import { gaugeSnapshot, T0 } from "../../test/fixtures/exporters/snapshots.js";
import { isHeadroomError } from "../errors.js";
import { createExporter, type ExporterConfig } from "./create-exporter.js";
import { inspectBulkResponse } from "./destinations.js";

let server: ScriptedServer;
before(async () => {
  server = await scriptedServer(answer(204));
});
after(() => server.close());

async function sendOne(config: Partial<ExporterConfig>, env: Record<string, string> = {}) {
  const e = createExporter(
    { name: "x", type: "prometheus", endpoint: server.url, flushInterval: 0, ...config },
    { env },
  );
  e.push(gaugeSnapshot(T0, 2));
  await e.flush();
  await e.close();
  return { exporter: e, request: server.received.at(-1) };
}

test("seed config: type is case-insensitive, endpoints get each protocol's default path", async () => {
  assert.equal((await sendOne({ type: "Prometheus" })).request?.url, "/api/v1/write");
  assert.equal(
    (await sendOne({ type: "victoriametrics", endpoint: `${server.url}/custom/write` })).request?.url,
    "/custom/write",
  );
  assert.equal(
    (await sendOne({ type: "influxdb", database: "db 1" })).request?.url,
    "/write?db=db+1&precision=n",
  );
  assert.equal(
    (
      await sendOne({
        type: "InfluxDB",
        endpoint: `${server.url}/api/v2/write?org=o&bucket=b`,
        precision: "s",
      })
    ).request?.url,
    "/api/v2/write?org=o&bucket=b&precision=s",
  );
  assert.equal((await sendOne({ type: "otlp" })).request?.url, "/v1/metrics");
  server.script = answer(200, '{"errors":false,"items":[]}');
  assert.equal(
    (await sendOne({ type: "elasticsearch", endpoint: `${server.url}/es` })).request?.url,
    "/es/_bulk",
  );
  server.script = answer(204);
});

test("remote-write requests carry the spec's headers", async () => {
  const { request } = await sendOne({});
  assert.equal(request?.headers["content-encoding"], "snappy");
  assert.equal(request?.headers["content-type"], "application/x-protobuf");
  assert.equal(request?.headers["x-prometheus-remote-write-version"], "0.1.0");
});

test("credentials: basic and bearer from config, else from the environment; never in stats", async () => {
  const basic = await sendOne({ credentials: { username: "u", password: "p:w" } });
  assert.equal(basic.request?.headers.authorization, `Basic ${Buffer.from("u:p:w").toString("base64")}`);
  const bearer = await sendOne({ credentials: { token: "tok" } });
  assert.equal(bearer.request?.headers.authorization, "Bearer tok");
  const fromEnv = await sendOne({ name: "my-prom" }, { HEADROOM_EXPORTER_MY_PROM_TOKEN: "envtok" });
  assert.equal(fromEnv.request?.headers.authorization, "Bearer envtok");
  const v2 = await sendOne({
    type: "influxdb",
    endpoint: `${server.url}/api/v2/write?bucket=b`,
    credentials: { token: "t2" },
  });
  assert.equal(v2.request?.headers.authorization, "Token t2", "InfluxDB 2.x uses the Token scheme");
  server.script = answer(500, "down");
  const failed = await sendOne({ credentials: { username: "u", password: "hunter2" } });
  assert.doesNotMatch(JSON.stringify(failed.exporter.stats()), /hunter2/);
  server.script = answer(204);
});

test("bad config is an HR_CONFIG error naming the exporter and the key", () => {
  const cases: [Partial<ExporterConfig>, RegExp][] = [
    [{ type: "graphite" }, /unknown exporter type "graphite"/],
    [{ endpoint: "not a url" }, /endpoint is not a URL/],
    [{ endpoint: "ftp://h/x" }, /endpoint must be http or https/],
    [{ credentials: { username: "u", token: "t" } }, /either token or username\/password/],
    [{ credentials: { password: "p" } }, /password given without username/],
    [{ type: "custom" }, /needs a transport function/],
    [{ type: "elasticsearch", indexPattern: "Bad Index" }, /index pattern "Bad Index"/],
  ];
  for (const [config, message] of cases) {
    assert.throws(
      () =>
        createExporter(
          { name: "bad", type: "prometheus", endpoint: "http://127.0.0.1:9/x", ...config },
          { env: {} },
        ),
      (err) =>
        isHeadroomError(err, "HR_CONFIG") &&
        err.message.startsWith("[exporter:") &&
        message.test(err.message) &&
        !err.message.includes("hunter2"),
      String(message),
    );
  }
});

test("custom type sends through the given transport", async () => {
  let got = 0;
  const e = createExporter(
    { name: "c", type: "custom", endpoint: "", flushInterval: 0 },
    {
      transport: async (batch) => {
        got += batch.length;
        return { kind: "ok" };
      },
    },
  );
  e.push(gaugeSnapshot(T0, 1));
  await e.close();
  assert.equal(got, 1);
});

test("bulk responses: per-item 409 is success, 429 retries, other item errors reject, garbage rejects", () => {
  const items = (...statuses: number[]) =>
    JSON.stringify({
      errors: true,
      items: statuses.map((status) => ({ create: { status, error: { reason: "r" } } })),
    });
  assert.deepEqual(inspectBulkResponse('{"errors":false}'), { kind: "ok" });
  assert.deepEqual(inspectBulkResponse(items(201, 409)), { kind: "ok" });
  assert.equal(inspectBulkResponse(items(201, 429, 400)).kind, "retry");
  assert.equal(inspectBulkResponse(items(201, 400)).kind, "reject");
  assert.equal(inspectBulkResponse("<html>").kind, "reject");
});

test("a destination that fails then recovers: 429 with Retry-After, 5xx, a timeout and a reset are retried until delivered", async () => {
  const failures = [answer(429, "slow down", { "Retry-After": "0" }), answer(503), hang, reset];
  for (const failure of failures) {
    const dest = await scriptedServer((req, res, i) =>
      i === 0 ? failure(req, res, i) : answer(204)(req, res, i),
    );
    const e = createExporter(
      {
        name: "r",
        type: "prometheus",
        endpoint: dest.url,
        flushInterval: 0,
        timeoutMs: failure === hang ? 1000 : 10_000,
        minBackoffMs: 10,
        maxBackoffMs: 20,
      },
      { env: {} },
    );
    e.push(gaugeSnapshot(T0, 4));
    await e.flush();
    assert.equal(e.stats().retries, 1);
    const deadline = Date.now() + 20_000;
    while (e.stats().sent < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(e.stats().sent, 4);
    assert.equal(dest.received.length, 2, "one failed attempt, one delivery");
    assert.deepEqual(dest.received[0].body, dest.received[1].body, "the retry resends the same bytes");
    await e.close();
    await dest.close();
  }
});

test("a destination that answers 400 gets the batch once: dropped and counted, never retried", async () => {
  const dest = await scriptedServer(answer(400, "bad request"));
  const e = createExporter(
    { name: "b", type: "influxdb", endpoint: dest.url, flushInterval: 0 },
    { env: {} },
  );
  e.push(gaugeSnapshot(T0, 4));
  await e.flush();
  await e.flush();
  assert.deepEqual([e.stats().failed, e.stats().retries, e.stats().queuedSamples], [4, 0, 0]);
  assert.equal(dest.received.length, 1);
  await e.close();
  await dest.close();
});

test("gzip: text bodies are compressed and say so; remote write stays snappy", async () => {
  for (const type of ["influxdb", "otlp", "elasticsearch"]) {
    server.script = answer(
      type === "elasticsearch" ? 200 : 204,
      type === "elasticsearch" ? '{"errors":false}' : "",
    );
    const { request } = await sendOne({ type, gzip: true });
    assert.equal(request?.headers["content-encoding"], "gzip", type);
    assert.match(gunzipSync(request?.body ?? Buffer.alloc(0)).toString(), /load_test/, type);
  }
  server.script = answer(204);
  const { request } = await sendOne({ type: "prometheus", gzip: true });
  assert.equal(request?.headers["content-encoding"], "snappy");
});
