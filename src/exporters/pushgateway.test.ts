import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  answer,
  type ScriptedServer,
  scriptedServer,
} from "../../test/fixtures/exporters/scripted-server.js";
import { gaugeSnapshot, T0 } from "../../test/fixtures/exporters/snapshots.js";
import { createExporter } from "./create-exporter.js";
import { createPushgatewayExporter, pushgatewayUrl } from "./pushgateway.js";

let server: ScriptedServer;
before(async () => {
  server = await scriptedServer(answer(200));
});
after(() => server.close());

test("grouping key URLs: plain, base64 for slashes and empty values, sorted labels", () => {
  assert.equal(
    pushgatewayUrl("http://pg:9091/", "batch", { instance: "h1" }),
    "http://pg:9091/metrics/job/batch/instance/h1",
  );
  assert.equal(
    pushgatewayUrl("http://pg:9091", "a/b", { z: "", path: "/var/tmp", e: "ü x" }),
    "http://pg:9091/metrics/job@base64/YS9i/e/%C3%BC%20x/path@base64/L3Zhci90bXA/z@base64/=",
  );
});

test("PUT by default with the text format; last value wins while a send is pending; DELETE removes the group", async () => {
  const e = createPushgatewayExporter({
    name: "pg",
    endpoint: server.url,
    job: "j",
    groupingKey: { instance: "h" },
    flushIntervalMs: 0,
  });
  e.push(gaugeSnapshot(T0, 2, "pg_gauge", 1));
  e.push(gaugeSnapshot(T0 + 1, 2, "pg_gauge", 5));
  e.push(gaugeSnapshot(T0 + 2, 2, "pg_gauge", 9));
  await e.flush();
  const puts = server.received.filter((r) => r.method === "PUT");
  assert.ok(puts.length >= 1 && puts.length <= 2, `${puts.length} PUTs`);
  const last = puts.at(-1);
  assert.equal(last?.url, "/metrics/job/j/instance/h");
  assert.match(String(last?.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
  assert.match(last?.body.toString() ?? "", /pg_gauge\{i="0"\} 9\n/);
  assert.equal(e.stats().queuedSamples, 0);
  const del = await e.deleteGroup();
  assert.equal(del.kind, "ok");
  assert.equal(server.received.at(-1)?.method, "DELETE");
  await e.close();
});

test("createExporter builds it from config (job, grouping key from externalLabels, POST)", async () => {
  const e = createExporter(
    {
      name: "p",
      type: "pushgateway",
      endpoint: server.url,
      job: "nightly",
      method: "POST",
      externalLabels: { instance: "h2" },
      flushInterval: 0,
    },
    { env: {} },
  );
  e.push(gaugeSnapshot(T0, 1));
  await e.flush();
  await e.close();
  const r = server.received.at(-1);
  assert.deepEqual([r?.method, r?.url], ["POST", "/metrics/job/nightly/instance/h2"]);
});
