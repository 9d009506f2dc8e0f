/**
 * Exporters against the real destinations (PEERS.md): remote write into Prometheus (with its
 * remote-write receiver) and VictoriaMetrics, read back with PromQL, and into a real
 * Pushgateway; the fault tests stop the destination mid-stream and restart it, and everything
 * produced during the outage must arrive, once, at the time it was produced. InfluxDB is in
 * exporters-influx.test.ts, the query-API HistoryStore in exporters-history.test.ts.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { createExporter } from "../../src/exporters/create-exporter.js";
import { createRegistry } from "../../src/metrics/registry.js";
import { findValue, type MetricsSnapshot } from "../../src/metrics/snapshot.js";
import {
  drain,
  exporterFor,
  promql,
  sleep,
  startPrometheusReceiver,
  startVictoria,
  tick,
  type Victoria,
  vmExport,
} from "../fixtures/exporters/peers.js";
import { goldenSnapshot, nastyValue } from "../fixtures/exporters/snapshots.js";
import { eventually, freePort, type Peer, startPeer, tempDir } from "./lib.js";

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
  let url = "";
  before(async () => {
    const started = await startPrometheusReceiver("prometheus-rw");
    prometheus = started;
    url = started.url;
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
