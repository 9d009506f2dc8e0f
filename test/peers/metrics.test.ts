/**
 * Exposition against the real Prometheus tools: promtool lints the every-type exposition, and a
 * real Prometheus scrapes a Headroom /metrics endpoint and answers PromQL with our values.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createMetricsHandler } from "../../src/expose/metrics-handler.js";
import { toNodeListener } from "../../src/expose/node-listener.js";
import { encodePrometheusText } from "../../src/expose/prometheus-text.js";
import { buildExpositionRegistry } from "../metrics/exposition-registry.js";
import { eventually, freePort, type Peer, startPeer, tempDir } from "./lib.js";

describe("promtool check metrics", () => {
  it("accepts the every-type exposition with exit 0", () => {
    const text = encodePrometheusText(buildExpositionRegistry().snapshot());
    const result = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    assert.equal(result.status, 0, `promtool said: ${result.stdout}${result.stderr}`);
  });

  it("rejects a broken exposition (so the check above can fail)", () => {
    const result = spawnSync("promtool", ["check", "metrics"], { input: "bad{ 1\n", encoding: "utf8" });
    assert.notEqual(result.status, 0);
  });
});

describe("a real Prometheus scraping Headroom", () => {
  let server: Server;
  let prometheus: Peer;
  let promUrl: string;
  const registry = buildExpositionRegistry(Date.now);
  const ticks = registry.counter({ name: "scrape_test_ticks_total", help: "Ticks." });
  const timer = setInterval(() => ticks.inc(), 100);

  before(async () => {
    server = createServer(toNodeListener(createMetricsHandler(registry)));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = tempDir("prometheus");
    const config = join(dir, "prometheus.yml");
    writeFileSync(
      config,
      `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: headroom\n    static_configs:\n      - targets: ["${target}"]\n`,
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = await startPeer(
      "prometheus",
      [
        `--config.file=${config}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
      ],
      `${promUrl}/-/ready`,
      { cleanup: [dir] },
    );
  });

  after(async () => {
    clearInterval(timer);
    await prometheus?.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { status: string; data: { result: never[] } };
    assert.equal(body.status, "success");
    return body.data.result;
  }

  it("shows the target up and returns our values through PromQL", async () => {
    const health = await eventually(async () => {
      const res = await fetch(`${promUrl}/api/v1/targets`);
      const body = (await res.json()) as { data: { activeTargets: { health: string; lastError: string }[] } };
      const t = body.data.activeTargets[0];
      return t && t.health !== "unknown" ? t : undefined;
    }, 20000);
    assert.equal(health.health, "up", `scrape error: ${health.lastError}`);

    const requests = await eventually(async () => {
      const r = await query('http_requests_total{method="GET",path="/"}');
      return r.length > 0 ? r : undefined;
    });
    assert.equal(requests[0].value[1], "1027");
    const escaped = await query('http_requests_total{path="C:\\\\temp\\\\new\\nline"}');
    assert.equal(escaped[0]?.value[1], "1", "label value with backslashes and a newline round-trips");
    const unicode = await query('http_requests_total{path="/ünïcödé/日本"}');
    assert.equal(unicode[0]?.value[1], "2");
    assert.equal((await query("temperature_celsius"))[0].value[1], "-12.5");
    assert.equal((await query('request_duration_seconds_bucket{le="+Inf",route="/api"}'))[0].value[1], "6");
    assert.equal((await query("response_size_bytes_count"))[0].value[1], "100");
    assert.equal((await query('app_mode{app_mode="serving"}'))[0].value[1], "1");
    const rate = await eventually(async () => {
      const r = await query("rate(scrape_test_ticks_total[5s])");
      return r.length > 0 && Number(r[0].value[1]) > 0 ? r : undefined;
    }, 20000);
    // The ticker fires every 100 ms; a loaded machine delays timers, so only bound it loosely.
    assert.ok(Number(rate[0].value[1]) > 0.5 && Number(rate[0].value[1]) <= 12, `rate ${rate[0].value[1]}`);
  });
});
