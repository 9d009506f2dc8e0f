/**
 * Exporter benchmarks (issue 7):
 *   encode.remoteWrite, encode.influx  encode throughput over a node_exporter-sized snapshot (samples/s)
 *   wire.remoteWrite, wire.influx      bytes per sample on the wire (remote write after snappy;
 *                                      wire.influx.gzip with the exporters' `gzip` option)
 *   e2e.victoria                       samples/s from push() until VictoriaMetrics accepted them,
 *                                      over loopback, through createExporter (batches of 2000)
 * No peer library encodes these protocols in this repository's dependencies, so the cases
 * carry no ratio; e2e.victoria needs the `victoria-metrics` binary (test/peers/install.sh).
 */

import { rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { createExporter } from "../src/exporters/create-exporter.js";
import { encodeInfluxLines } from "../src/expose/influx-line.js";
import { snapshotSampleCount } from "../src/expose/push-samples.js";
import { encodeRemoteWrite } from "../src/expose/remote-write.js";
import type { MetricFamily, MetricsSnapshot } from "../src/metrics/snapshot.js";
import { freePort, startPeer, tempDir } from "../test/peers/lib.js";
import { type BenchResult, higherIsBetter, lowerIsBetter, median, msPerCall } from "./lib.js";

/** About what node_exporter exposes on a small host: 878 samples. */
export function hostSnapshot(timestampMs: number, k = 0): MetricsSnapshot {
  const families: MetricFamily[] = [];
  const modes = ["idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"];
  families.push({
    name: "node_cpu_seconds_total",
    type: "counter",
    help: "Seconds the CPUs spent in each mode.",
    unit: "seconds",
    labelNames: ["cpu", "mode"],
    series: Array.from({ length: 16 * modes.length }, (_, i) => ({
      labels: { cpu: String(i >> 3), mode: modes[i & 7] },
      value: 123456.78 + i * 17.5 + k,
    })),
  });
  for (let m = 0; m < 40; m++) {
    families.push({
      name: `node_memory_field${m}_bytes`,
      type: "gauge",
      help: "Memory field.",
      unit: "bytes",
      labelNames: [],
      series: [{ labels: {}, value: 8_000_000_000 - m * 12345 + k }],
    });
  }
  const fsLabels = ["device", "fstype", "mountpoint"] as const;
  for (const name of [
    "node_filesystem_avail_bytes",
    "node_filesystem_size_bytes",
    "node_filesystem_files_free",
  ]) {
    families.push({
      name,
      type: "gauge",
      help: "Filesystem.",
      unit: "",
      labelNames: fsLabels,
      series: Array.from({ length: 20 }, (_, i) => ({
        labels: {
          device: `/dev/sd${String.fromCharCode(97 + i)}1`,
          fstype: "ext4",
          mountpoint: `/mnt/data${i}`,
        },
        value: 1e11 + i * 1e9 + k,
      })),
    });
  }
  for (const name of [
    "node_network_receive_bytes_total",
    "node_network_transmit_bytes_total",
    "node_network_receive_packets_total",
  ]) {
    families.push({
      name,
      type: "counter",
      help: "Network.",
      unit: "",
      labelNames: ["device"],
      series: Array.from({ length: 30 }, (_, i) => ({
        labels: { device: `veth${i}` },
        value: 9e9 + i * 1e6 + k,
      })),
    });
  }
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  families.push({
    name: "http_request_duration_seconds",
    type: "histogram",
    help: "Latency.",
    unit: "seconds",
    labelNames: ["route", "method"],
    buckets,
    series: Array.from({ length: 40 }, (_, i) => {
      const counts = buckets.map((_, b) => (b + 1) * 100 + i + k);
      return {
        labels: { route: `/api/v1/r${i}`, method: "GET" },
        counts: [...counts, counts.at(-1)! + 5],
        sum: 42.5 + i,
        count: counts.at(-1)! + 5,
      };
    }),
  });
  return { timestampMs, families };
}

async function e2eVictoria(): Promise<number> {
  const dir = tempDir("bench-victoria");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const vm = await startPeer(
    "victoria-metrics",
    [`-httpListenAddr=127.0.0.1:${port}`, `-storageDataPath=${join(dir, "data")}`, "-retentionPeriod=1d"],
    `${url}/health`,
  );
  try {
    const rates: number[] = [];
    for (let round = 0; round < 5; round++) {
      const exporter = createExporter(
        {
          name: `bench${round}`,
          type: "victoriametrics",
          endpoint: url,
          batchSize: 2000,
          flushInterval: 0,
          maxQueueSamples: 1_000_000,
        },
        { env: {} },
      );
      const t0 = Date.now() - 3_600_000 + round * 600_000;
      const snapshots = Array.from({ length: 100 }, (_, i) => hostSnapshot(t0 + i * 1000, i));
      const samples = snapshots.reduce((n, s) => n + snapshotSampleCount(s), 0);
      const start = process.hrtime.bigint();
      for (const s of snapshots) exporter.push(s);
      await exporter.flush();
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const stats = exporter.stats();
      await exporter.close();
      if (stats.sent !== samples)
        throw new Error(`e2e.victoria: sent ${stats.sent} of ${samples} (${stats.lastError})`);
      rates.push(samples / seconds);
    }
    return median(rates);
  } finally {
    await vm.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult[]> {
  const snapshot = hostSnapshot(Date.now());
  const samples = snapshotSampleCount(snapshot);
  const rwMs = await msPerCall(
    () => encodeRemoteWrite(snapshot, { externalLabels: { instance: "bench" } }),
    41,
    10,
  );
  const influxMs = await msPerCall(
    () => encodeInfluxLines(snapshot, { defaultTags: { instance: "bench" } }),
    41,
    10,
  );
  const rwBytes = encodeRemoteWrite(snapshot, { externalLabels: { instance: "bench" } }).body.length;
  const influxOut = encodeInfluxLines(snapshot, { defaultTags: { instance: "bench" } });
  const influxBytes = new TextEncoder().encode(influxOut.body).length;
  return [
    higherIsBetter("encode.remoteWrite", "samples/s", samples / (rwMs / 1000)),
    higherIsBetter("encode.influx", "samples/s", influxOut.samples / (influxMs / 1000)),
    lowerIsBetter("wire.remoteWrite", "bytes/sample", rwBytes / samples),
    lowerIsBetter("wire.influx", "bytes/sample", influxBytes / influxOut.samples),
    lowerIsBetter("wire.influx.gzip", "bytes/sample", gzipSync(influxOut.body).length / influxOut.samples),
    higherIsBetter("e2e.victoria", "samples/s", await e2eVictoria()),
  ];
}
