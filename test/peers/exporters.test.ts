/**
 * Exporters against the real destinations (PEERS.md): remote write into Prometheus (with its
 * remote-write receiver) and VictoriaMetrics, line protocol into InfluxDB 1.x and
 * VictoriaMetrics, each read back with the destination's own query language; and the fault
 * tests: the destination is stopped mid-stream and restarted, and everything produced during
 * the outage must arrive, once, at the time it was produced.
 */
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createExporter, type ExporterConfig } from "../../src/exporters/create-exporter.js";
import type { Exporter } from "../../src/exporters/exporter.js";
import { runHistoryStoreConformance } from "../../src/history/conformance.js";
import { openPrometheusQueryStore } from "../../src/history/prometheus-query-store.js";
import { createRegistry } from "../../src/metrics/registry.js";
import { findValue, type MetricsSnapshot } from "../../src/metrics/snapshot.js";
import { goldenSnapshot, nastyValue } from "../fixtures/exporters/snapshots.js";
import { eventually, freePort, type Peer, startPeer, tempDir } from "./lib.js";

interface Victoria {
  url: string;
  peer: Peer;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

async function startVictoria(): Promise<Victoria> {
  const dir = tempDir("victoria");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `-httpListenAddr=127.0.0.1:${port}`,
    `-storageDataPath=${join(dir, "data")}`,
    "-retentionPeriod=1d",
    "-search.latencyOffset=0s",
    "-search.disableCache",
  ];
  const start = () => startPeer("victoria-metrics", args, `${url}/health`);
  const v: Victoria = {
    url,
    peer: await start(),
    async restart() {
      v.peer = await start();
    },
    async stop() {
      await v.peer.stop();
    },
    async dispose() {
      await v.peer.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return v;
}

async function promql(
  base: string,
  query: string,
  time?: number,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const u = new URL(`${base}/api/v1/query`);
  u.searchParams.set("query", query);
  if (time !== undefined) u.searchParams.set("time", String(time / 1000));
  const res = await fetch(u);
  const body = (await res.json()) as {
    status: string;
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  assert.equal(body.status, "success", JSON.stringify(body));
  return body.data.result;
}

/** Raw samples per series from VictoriaMetrics' export API: [labels, timestamps, values]. */
async function vmExport(
  base: string,
  match: string,
): Promise<{ metric: Record<string, string>; timestamps: number[]; values: number[] }[]> {
  await fetch(`${base}/internal/force_flush`).then((r) => r.arrayBuffer());
  const u = new URL(`${base}/api/v1/export`);
  u.searchParams.set("match[]", match);
  u.searchParams.set("start", "0");
  const text = await (await fetch(u)).text();
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
}

function tick(name: string, t: number, series: number, value: number): MetricsSnapshot {
  return {
    timestampMs: t,
    families: [
      {
        name,
        type: "gauge",
        help: "Fault test gauge.",
        unit: "",
        labelNames: ["i"],
        series: Array.from({ length: series }, (_, i) => ({
          labels: { i: String(i) },
          value: value * 10 + i,
        })),
      },
    ],
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function drain(exporter: Exporter, timeoutMs = 30_000): Promise<void> {
  await eventually(
    async () => {
      await exporter.flush();
      return exporter.stats().queuedSamples === 0 ? true : undefined;
    },
    timeoutMs,
    100,
  );
}

function exporterFor(
  config: Partial<ExporterConfig> & { endpoint: string; type: string },
  registry = createRegistry(),
) {
  return createExporter(
    {
      name: "peer",
      batchSize: 50,
      flushInterval: 100,
      minBackoffMs: 100,
      maxBackoffMs: 400,
      timeoutMs: 2000,
      ...config,
    },
    { registry, env: {} },
  );
}

describe("remote write into VictoriaMetrics", () => {
  let vm: Victoria;
  before(async () => {
    vm = await startVictoria();
  });
  after(() => vm.dispose());

  it("every family type and a label value with newline, quotes, commas, spaces and non-ASCII text reads back with PromQL", async () => {
    const exporter = exporterFor({
      type: "victoriametrics",
      endpoint: vm.url,
      externalLabels: { instance: "peer-a" },
    });
    const snap = { ...goldenSnapshot, timestampMs: Date.now() };
    exporter.push(snap);
    await drain(exporter);
    await exporter.close();
    const rows = await eventually(async () => {
      await fetch(`${vm.url}/internal/force_flush`);
      const r = await promql(
        vm.url,
        '{__name__=~"node_cpu_seconds_total|headroom_label_torture|http_request_duration_seconds_bucket",instance="peer-a"}',
        snap.timestampMs,
      );
      return r.length === 7 ? r : undefined;
    });
    const idle = rows.find((r) => r.metric.mode === "idle");
    assert.equal(idle?.value[1], "1234.5");
    const torture = rows.find((r) => r.metric.__name__ === "headroom_label_torture");
    assert.equal(torture?.metric.path, nastyValue);
    assert.equal(Number(torture?.value[1]), -1.5e-7);
    const inf = rows.find((r) => r.metric.le === "+Inf");
    assert.equal(inf?.value[1], "7");
  });

  it("fault: VictoriaMetrics stopped mid-stream and restarted; every sample of the outage arrives once at its own time", async () => {
    const registry = createRegistry();
    const exporter = exporterFor({ type: "remote_write", endpoint: `${vm.url}/api/v1/write` }, registry);
    const name = "fault_outage_gauge";
    const produced: number[] = [];
    const t0 = Date.now() - 60_000;
    const produce = (k: number) => {
      const t = t0 + k * 1000;
      produced.push(t);
      exporter.push(tick(name, t, 5, k));
    };
    for (let k = 0; k < 10; k++) {
      produce(k);
      await sleep(30);
    }
    await drain(exporter);
    await vm.stop();
    for (let k = 10; k < 30; k++) {
      produce(k);
      await sleep(30);
    }
    await exporter.flush();
    assert.ok(exporter.stats().queuedSamples > 0, "samples wait in the queue during the outage");
    assert.ok(exporter.stats().retries > 0);
    await vm.restart();
    for (let k = 30; k < 40; k++) {
      produce(k);
      await sleep(30);
    }
    await drain(exporter);
    await exporter.close();
    const series = await eventually(async () => {
      const s = await vmExport(vm.url, name);
      return s.length === 5 && s.every((x) => x.timestamps.length >= 40) ? s : undefined;
    });
    for (const s of series) {
      const i = Number(s.metric.i);
      assert.deepEqual(s.timestamps, produced, `series i=${i}: each timestamp exactly once, none moved`);
      assert.deepEqual(
        s.values,
        produced.map((_, k) => k * 10 + i),
      );
    }
    const snap = registry.snapshot();
    assert.equal(findValue(snap, "headroom_exporter_samples_sent_total", { exporter: "peer" }), 200);
    assert.equal(
      findValue(snap, "headroom_exporter_samples_dropped_total", { exporter: "peer", reason: "queue_full" }),
      0,
    );
  });

  it("fault: filling the queue bound during an outage drops the oldest samples and counts them", async () => {
    const registry = createRegistry();
    const exporter = exporterFor(
      { type: "remote_write", endpoint: vm.url, batchSize: 10, maxQueueSamples: 50, name: "bounded" },
      registry,
    );
    const name = "fault_bound_gauge";
    await vm.stop();
    const t0 = Date.now() - 30_000;
    for (let k = 0; k < 20; k++) exporter.push(tick(name, t0 + k * 1000, 5, k));
    await exporter.flush();
    const dropped = exporter.stats().dropped;
    assert.ok(dropped >= 50, `dropped ${dropped}`);
    assert.equal(
      findValue(registry.snapshot(), "headroom_exporter_samples_dropped_total", {
        exporter: "bounded",
        reason: "queue_full",
      }),
      dropped,
    );
    await vm.restart();
    await drain(exporter);
    await exporter.close();
    const series = await eventually(async () => {
      const s = await vmExport(vm.url, name);
      const n = s.reduce((a, x) => a + x.timestamps.length, 0);
      return n === 100 - dropped ? s : undefined;
    });
    assert.equal(
      exporter.stats().sent + dropped,
      100,
      "every produced sample is either delivered or counted as dropped",
    );
    for (const s of series) assert.equal(new Set(s.timestamps).size, s.timestamps.length, "no duplicates");
  });
});

describe("remote write into VictoriaMetrics across an agent restart", () => {
  let vm: Victoria;
  before(async () => {
    vm = await startVictoria();
  });
  after(() => vm.dispose());

  it("samples queued on disk while the destination was down are sent by the next process, once", async () => {
    const spoolDir = tempDir("exporter-spool");
    try {
      const name = "fault_restart_gauge";
      const t0 = Date.now() - 20_000;
      await vm.stop();
      const first = exporterFor({ type: "remote_write", endpoint: vm.url, spoolDir, name: "spooled" });
      for (let k = 0; k < 8; k++) first.push(tick(name, t0 + k * 1000, 3, k));
      await first.close();
      assert.equal(first.stats().queuedSamples, 24);
      await vm.restart();
      const second = exporterFor({ type: "remote_write", endpoint: vm.url, spoolDir, name: "spooled" });
      assert.equal(second.stats().queuedSamples, 24, "the new process found the journal");
      await drain(second);
      await second.close();
      const series = await eventually(async () => {
        const s = await vmExport(vm.url, name);
        return s.length === 3 && s.every((x) => x.timestamps.length === 8) ? s : undefined;
      });
      for (const s of series) {
        assert.deepEqual(
          s.timestamps,
          Array.from({ length: 8 }, (_, k) => t0 + k * 1000),
        );
      }
      const third = exporterFor({ type: "remote_write", endpoint: vm.url, spoolDir, name: "spooled" });
      assert.equal(third.stats().queuedSamples, 0, "nothing left to send twice");
      await third.close();
    } finally {
      rmSync(spoolDir, { recursive: true, force: true });
    }
  });
});

describe("remote write into Prometheus", () => {
  let prometheus: Peer;
  let url: string;
  before(async () => {
    const dir = tempDir("prometheus-rw");
    const config = join(dir, "prometheus.yml");
    writeFileSync(config, "global:\n  scrape_interval: 15s\n");
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    prometheus = await startPeer(
      "prometheus",
      [
        `--config.file=${config}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        "--web.enable-remote-write-receiver",
      ],
      `${url}/-/ready`,
      { cleanup: [dir] },
    );
  });
  after(() => prometheus.stop());

  it("accepts the body (protobuf + snappy + headers) and answers PromQL with our values and labels", async () => {
    const exporter = exporterFor({
      type: "prometheus",
      endpoint: `${url}/api/v1/write`,
      externalLabels: { job: "headroom" },
    });
    const snap = { ...goldenSnapshot, timestampMs: Date.now() };
    exporter.push(snap);
    await drain(exporter);
    assert.equal(exporter.stats().failed, 0, exporter.stats().lastError);
    await exporter.close();
    const rows = await eventually(async () => {
      const r = await promql(url, 'rpc_duration_seconds{job="headroom"}', snap.timestampMs);
      return r.length === 2 ? r : undefined;
    });
    assert.deepEqual(rows.map((r) => [r.metric.quantile, r.value[1]]).sort(), [
      ["0.5", "0.012"],
      ["0.99", "0.2"],
    ]);
    const torture = await promql(url, "headroom_label_torture", snap.timestampMs);
    assert.equal(torture[0]?.metric.path, nastyValue);
    const rate = await promql(url, 'sum(node_cpu_seconds_total{job="headroom"})', snap.timestampMs);
    assert.equal(rate[0]?.value[1], "1251.5");
  });

  it("a sample Prometheus refuses (out of order) is dropped and counted as failed, not retried forever", async () => {
    const exporter = exporterFor({ type: "prometheus", endpoint: `${url}/api/v1/write` });
    const now = Date.now();
    exporter.push(tick("ooo_gauge", now, 1, 2));
    await drain(exporter);
    exporter.push(tick("ooo_gauge", now - 3_600_000, 1, 1));
    await drain(exporter);
    await exporter.close();
    assert.equal(exporter.stats().failed, 1, exporter.stats().lastError);
    assert.match(exporter.stats().lastError ?? "", /400/);
    assert.equal(exporter.stats().sent, 1);
  });
});

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
});

describe("HistoryStore over VictoriaMetrics's query API", () => {
  let vm: Victoria;
  before(async () => {
    vm = await startVictoria();
  });
  after(() => vm.dispose());

  // Each store is scoped by a label of its own, so every conformance case sees a fresh store
  // inside the one engine. Retention belongs to the engine, not to this store.
  let opened = 0;
  runHistoryStoreConformance(
    "prometheus-query (VictoriaMetrics)",
    ({ now }) => openPrometheusQueryStore({ url: vm.url, labels: { store: `c${++opened}` }, now }),
    { without: ["retention"] },
  );

  it("reads a fleet back: two agents with different instance labels, listed and queried per host", async () => {
    const t0 = Date.now() - 120_000;
    for (const instance of ["agent-a", "agent-b"]) {
      const exporter = exporterFor({
        type: "victoriametrics",
        endpoint: vm.url,
        name: instance,
        externalLabels: { instance },
      });
      for (let k = 0; k < 10; k++) {
        exporter.push(tick("fleet_load", t0 + k * 10_000, 2, instance === "agent-a" ? k : 100 + k));
      }
      await drain(exporter);
      await exporter.close();
    }
    await fetch(`${vm.url}/internal/force_flush`);
    const fleet = openPrometheusQueryStore({ url: vm.url });
    const listed = await eventually(async () => {
      const l = await fleet.listSeries({ name: "fleet_load" });
      return l.length === 4 ? l : undefined;
    });
    assert.deepEqual(
      listed.map((x) => x.labels),
      [
        { i: "0", instance: "agent-a" },
        { i: "0", instance: "agent-b" },
        { i: "1", instance: "agent-a" },
        { i: "1", instance: "agent-b" },
      ],
    );
    const range = { startMs: t0, endMs: t0 + 90_000 };
    const b1 = await fleet.queryRange({ name: "fleet_load", labels: { instance: "agent-b", i: "1" } }, range);
    assert.deepEqual(
      b1.map((p) => p.v),
      Array.from({ length: 10 }, (_, k) => (100 + k) * 10 + 1),
    );
    assert.deepEqual(
      b1.map((p) => p.t),
      Array.from({ length: 10 }, (_, k) => t0 + k * 10_000),
    );
    const onlyA = openPrometheusQueryStore({ url: vm.url, labels: { instance: "agent-a" } });
    assert.deepEqual(
      (await onlyA.listSeries({ name: "fleet_load" })).map((x) => x.labels),
      [{ i: "0" }, { i: "1" }],
    );
    assert.deepEqual(await onlyA.latest({ name: "fleet_load", labels: { i: "0" } }), {
      t: t0 + 90_000,
      v: 90,
    });
    const steps = await onlyA.queryStep(
      { name: "fleet_load", labels: { i: "0" } },
      { ...range, stepMs: 50_000 },
    );
    assert.equal(
      steps.reduce((n, p) => n + p.count, 0),
      10,
    );
  });

  it("a query the engine refuses is a typed error naming the endpoint; an unreachable engine is HR_UNAVAILABLE", async () => {
    const store = openPrometheusQueryStore({ url: `${vm.url}/not-the-api` });
    await assert.rejects(
      () => store.queryRange({ name: "x" }, { startMs: 0, endMs: 1000 }),
      (err) =>
        (err as { code?: string }).code === "HR_HTTP" &&
        (err as Error).message.startsWith("[history:prometheus]"),
    );
    const port = await freePort();
    const gone = openPrometheusQueryStore({ url: `http://127.0.0.1:${port}`, timeoutMs: 1000 });
    await assert.rejects(
      () => gone.listSeries(),
      (err) => (err as { code?: string }).code === "HR_UNAVAILABLE",
    );
  });
});

describe("Prometheus Pushgateway", () => {
  let pg: Peer;
  let url: string;
  before(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    pg = await startPeer(
      "prometheus-pushgateway",
      [`--web.listen-address=127.0.0.1:${port}`],
      `${url}/-/ready`,
    );
  });
  after(() => pg.stop());

  async function groups(): Promise<{ labels: Record<string, string>; [metric: string]: unknown }[]> {
    const body = (await (await fetch(`${url}/api/v1/metrics`)).json()) as {
      data: { labels: Record<string, string> }[];
    };
    return body.data;
  }

  it("PUT stores the group under its grouping key (a value with a slash included), DELETE removes it", async () => {
    const exporter = createExporter(
      {
        name: "pg",
        type: "pushgateway",
        endpoint: url,
        job: "batch/nightly",
        externalLabels: { instance: "host-a" },
        flushInterval: 0,
      },
      { env: {} },
    );
    exporter.push({ ...goldenSnapshot, timestampMs: Date.now() });
    await exporter.flush();
    assert.equal(exporter.stats().failed, 0, exporter.stats().lastError);
    const text = await (await fetch(`${url}/metrics`)).text();
    assert.match(text, /node_load1\{instance="host-a",job="batch\/nightly"\} 0\.25/);
    assert.match(
      text,
      /http_request_duration_seconds_bucket\{instance="host-a",job="batch\/nightly",route="\/api",le="\+Inf"\} 7/,
    );
    const group = (await groups()).find((g) => g.labels.job === "batch/nightly");
    assert.equal(group?.labels.instance, "host-a");
    exporter.push(gaugeOnly(Date.now()));
    await exporter.flush();
    const replaced = await (await fetch(`${url}/metrics`)).text();
    assert.doesNotMatch(replaced, /node_load1\{instance="host-a"/, "PUT replaced the whole group");
    assert.match(replaced, /pg_only\{i="0",instance="host-a",job="batch\/nightly"\} 1/);
    const pgExporter = exporter as typeof exporter & { deleteGroup(): Promise<{ kind: string }> };
    assert.equal((await pgExporter.deleteGroup()).kind, "ok");
    assert.equal(
      (await groups()).find((g) => g.labels.job === "batch/nightly"),
      undefined,
    );
    await exporter.close();
  });
});

function gaugeOnly(t: number): MetricsSnapshot {
  return tick("pg_only", t, 1, 0.1);
}

describe("HistoryStore over Prometheus's query API", () => {
  // A Prometheus of its own: the conformance data lies hours in the past, which a TSDB head
  // that already holds current samples would refuse as out of bounds.
  let prometheus: Peer;
  let url = "";
  before(async () => {
    const dir = tempDir("prometheus-history");
    const config = join(dir, "prometheus.yml");
    writeFileSync(config, "global:\n  scrape_interval: 15s\n");
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    prometheus = await startPeer(
      "prometheus",
      [
        `--config.file=${config}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        "--web.enable-remote-write-receiver",
      ],
      `${url}/-/ready`,
      { cleanup: [dir] },
    );
  });
  after(() => prometheus.stop());

  let opened = 0;
  runHistoryStoreConformance(
    "prometheus-query (Prometheus)",
    ({ now }) => openPrometheusQueryStore({ url, labels: { store: `p${++opened}` }, now }),
    { without: ["retention"] },
  );
});
