import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { createRegistry } from "../metrics/registry.js";
import { createMetricsHandler } from "./metrics-handler.js";
import { toNodeListener } from "./node-listener.js";

describe("/metrics handler over node:http", () => {
  let server: Server;
  let base: string;
  const registry = createRegistry();
  registry.counter({ name: "served_total", help: "Served." }).inc(3);
  registry.registerComputedGauge("flaky_value", () => {
    throw new Error("broken callback");
  });

  before(async () => {
    server = createServer(toNodeListener(createMetricsHandler(registry)));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("serves the 0.0.4 text format by default, even with a failing callback", async () => {
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const body = await res.text();
    assert.match(body, /^served_total 3$/m);
    assert.doesNotMatch(body, /^flaky_value/m);
    assert.match(body, /headroom_metrics_callback_failures_total\{callback="flaky_value"\}/);
  });

  it("serves OpenMetrics when asked", async () => {
    const res = await fetch(`${base}/metrics`, {
      headers: { accept: "application/openmetrics-text; version=1.0.0" },
    });
    assert.match(res.headers.get("content-type") ?? "", /openmetrics/);
    assert.ok((await res.text()).endsWith("# EOF\n"));
  });

  it("gzips when the client accepts it", async () => {
    const raw = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      import("node:http").then(({ get }) =>
        get(`${base}/metrics`, { headers: { "accept-encoding": "gzip" } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on("error", reject),
      );
    });
    assert.equal(raw.headers["content-encoding"], "gzip");
    assert.match(gunzipSync(raw.body).toString(), /served_total 3/);
  });

  it("answers 405 to other methods", async () => {
    const res = await fetch(`${base}/metrics`, { method: "POST", body: "x" });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "GET, HEAD");
  });
});
