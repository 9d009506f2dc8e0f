/**
 * InfluxDB line protocol against real InfluxDB 1.x and VictoriaMetrics (PEERS.md): escaping,
 * integer and float fields, a type conflict (400), and an outage mid-stream.
 */
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  drain,
  exporterFor,
  promql,
  sleep,
  startVictoria,
  tick,
  type Victoria,
} from "../fixtures/exporters/peers.js";
import { goldenSnapshot, nastyValue } from "../fixtures/exporters/snapshots.js";
import { eventually, freePort, type Peer, startPeer, tempDir } from "./lib.js";

describe("InfluxDB line protocol", () => {
  let influx: Peer;
  let influxDir = "";
  let startInflux: () => Promise<Peer>;
  let url: string;
  let vm: Victoria;
  before(async () => {
    const dir = tempDir("influxdb");
    influxDir = dir;
    const port = await freePort();
    const rpc = await freePort();
    url = `http://127.0.0.1:${port}`;
    const config = join(dir, "influxdb.conf");
    writeFileSync(
      config,
      [
        "reporting-disabled = true",
        `bind-address = "127.0.0.1:${rpc}"`,
        "[meta]",
        `  dir = "${join(dir, "meta")}"`,
        "[data]",
        `  dir = "${join(dir, "data")}"`,
        `  wal-dir = "${join(dir, "wal")}"`,
        "[http]",
        `  bind-address = "127.0.0.1:${port}"`,
        "  log-enabled = false",
        "",
      ].join("\n"),
    );
    startInflux = () => startPeer("influxd", ["-config", config], `${url}/ping`);
    influx = await startInflux();
    await fetch(`${url}/query`, {
      method: "POST",
      body: new URLSearchParams({ q: "CREATE DATABASE headroom" }),
    });
    vm = await startVictoria();
  });
  after(async () => {
    await influx.stop();
    rmSync(influxDir, { recursive: true, force: true });
    await vm.dispose();
  });

  async function influxql(q: string) {
    const u = new URL(`${url}/query`);
    u.searchParams.set("db", "headroom");
    u.searchParams.set("q", q);
    u.searchParams.set("epoch", "ms");
    return (await (await fetch(u)).json()) as {
      results: {
        series?: { name: string; columns: string[]; values: unknown[][]; tags?: Record<string, string> }[];
      }[];
    };
  }

  it("InfluxDB 1.x stores every family with integer counts, float values and escaped tags", async () => {
    const exporter = exporterFor({
      type: "influxdb",
      endpoint: url,
      database: "headroom",
      externalLabels: { host: "h1" },
    });
    const snap = { ...goldenSnapshot, timestampMs: Date.now() };
    exporter.push(snap);
    await drain(exporter);
    assert.equal(exporter.stats().failed, 0, exporter.stats().lastError);
    await exporter.close();
    const hist = await influxql('SELECT "count", "sum", "+Inf", "0.1" FROM http_request_duration_seconds');
    assert.deepEqual(hist.results[0].series?.[0].values, [[snap.timestampMs, 7, 4.75, 7, 3]]);
    const torture = await influxql('SELECT value FROM headroom_label_torture GROUP BY "path"');
    const stored = torture.results[0].series?.[0].tags?.path;
    // Newline and tab are written as the escapes \n and \t (line protocol cannot carry them raw);
    // the trailing backslash cannot be written at all. Everything else arrives byte for byte.
    assert.equal(stored, nastyValue.replace("\n", "\\n").replace("\t", "\\t").replace(/\\$/, ""));
    const types = await influxql("SHOW FIELD KEYS FROM http_request_duration_seconds");
    const fieldTypes = Object.fromEntries((types.results[0].series?.[0].values ?? []) as [string, string][]);
    assert.equal(fieldTypes.count, "integer");
    assert.equal(fieldTypes.sum, "float");
  });

  it("a type conflict (400) drops and counts the batch instead of retrying", async () => {
    await fetch(`${url}/write?db=headroom`, { method: "POST", body: 'conflict_gauge value="a string"\n' });
    const exporter = exporterFor({ type: "influxdb", endpoint: url, database: "headroom" });
    exporter.push(tick("conflict_gauge", Date.now(), 3, 1));
    await drain(exporter);
    await exporter.close();
    assert.equal(exporter.stats().failed, 3);
    assert.equal(exporter.stats().retries, 0);
  });

  it("fault: InfluxDB stopped mid-stream and restarted; every line of the outage arrives once at its own time", async () => {
    const exporter = exporterFor({ type: "influxdb", endpoint: url, database: "headroom", precision: "ms" });
    const name = "influx_outage_gauge";
    const t0 = Date.now() - 60_000;
    const produced: number[] = [];
    const produce = async (from: number, to: number) => {
      for (let k = from; k < to; k++) {
        produced.push(t0 + k * 1000);
        exporter.push(tick(name, t0 + k * 1000, 3, k));
        await sleep(20);
      }
    };
    await produce(0, 5);
    await drain(exporter);
    await influx.stop();
    await produce(5, 20);
    await exporter.flush();
    assert.ok(exporter.stats().queuedSamples > 0);
    influx = await startInflux();
    await produce(20, 25);
    await drain(exporter);
    await exporter.close();
    const rows = await influxql(`SELECT value FROM ${name} GROUP BY "i"`);
    const series = rows.results[0].series ?? [];
    assert.equal(series.length, 3);
    for (const s of series) {
      const i = Number(s.tags?.i);
      assert.deepEqual(
        s.values.map((v) => v[0]),
        produced,
        `series i=${i}: each time exactly once`,
      );
      assert.deepEqual(
        s.values.map((v) => v[1]),
        produced.map((_, k) => k * 10 + i),
      );
    }
    assert.equal(exporter.stats().sent, 75);
  });

  it("VictoriaMetrics reads the same lines back with PromQL ({measurement}_{field})", async () => {
    const exporter = exporterFor({ type: "influxdb", endpoint: vm.url, externalLabels: { host: "h1" } });
    const snap = { ...goldenSnapshot, timestampMs: Date.now() };
    exporter.push(snap);
    await drain(exporter);
    await exporter.close();
    const rows = await eventually(async () => {
      await fetch(`${vm.url}/internal/force_flush`);
      const r = await promql(vm.url, 'node_cpu_seconds_total_value{host="h1"}', snap.timestampMs);
      return r.length === 2 ? r : undefined;
    });
    assert.deepEqual(rows.map((r) => [r.metric.mode, r.value[1]]).sort(), [
      ["idle", "1234.5"],
      ["user", "17"],
    ]);
    const count = await promql(vm.url, 'http_request_duration_seconds_count{host="h1"}', snap.timestampMs);
    assert.equal(count[0]?.value[1], "7");
  });

  it("gzip bodies are accepted by InfluxDB 1.x and VictoriaMetrics alike", async () => {
    const t = Date.now();
    for (const endpoint of [url, vm.url]) {
      const exporter = exporterFor({ type: "influxdb", endpoint, database: "headroom", gzip: true });
      exporter.push(tick("gzip_gauge", t, 2, 4));
      await drain(exporter);
      await exporter.close();
      assert.deepEqual([exporter.stats().sent, exporter.stats().failed], [2, 0], exporter.stats().lastError);
    }
    const rows = await influxql("SELECT value FROM gzip_gauge");
    assert.equal(rows.results[0].series?.[0].values.length, 2);
    const back = await eventually(async () => {
      await fetch(`${vm.url}/internal/force_flush`);
      const r = await promql(vm.url, "gzip_gauge_value", t);
      return r.length === 2 ? r : undefined;
    });
    assert.deepEqual(back.map((r) => r.value[1]).sort(), ["40", "41"]);
  });
});
