// No StatsD daemon runs on these machines; a UDP socket on 127.0.0.1 stands in and records
// the datagrams.
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { gaugeSnapshot, nonFiniteSnapshot, T0 } from "../../test/fixtures/exporters/snapshots.js";
import { createRegistry } from "../metrics/registry.js";
import { findValue } from "../metrics/snapshot.js";
import { createExporter } from "./create-exporter.js";
import { createStatsdExporter } from "./statsd-exporter.js";

test("lines arrive in datagrams under the size limit; stats and self-metrics count them", async () => {
  const received: string[] = [];
  const daemon = createSocket("udp4");
  daemon.on("message", (msg) => received.push(msg.toString()));
  await new Promise<void>((r) => daemon.bind(0, "127.0.0.1", r));
  const registry = createRegistry();
  const e = createStatsdExporter({
    name: "sd",
    port: (daemon.address() as AddressInfo).port,
    maxDatagramBytes: 256,
    flushIntervalMs: 0,
    registry,
    defaultTags: { host: "h1" },
  });
  e.push(gaugeSnapshot(T0, 40));
  e.push(nonFiniteSnapshot);
  assert.equal(e.stats().queuedSamples, 41);
  await e.flush();
  const deadline = Date.now() + 20_000;
  while (received.join("\n").split("\n").length < 41 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  const lines = received.join("\n").split("\n");
  assert.equal(lines.length, 41);
  for (const d of received) assert.ok(Buffer.byteLength(d) <= 256);
  assert.ok(lines.includes("load_test:40|g|#host:h1,i:39"));
  assert.deepEqual([e.stats().sent, e.stats().dropped], [41, 3]);
  assert.equal(
    findValue(registry.snapshot(), "headroom_exporter_samples_sent_total", { exporter: "sd" }),
    41,
  );
  await e.close();
  e.push(gaugeSnapshot(T0, 2));
  assert.equal(e.stats().dropped, 5, "a push after close is counted");
  daemon.close();
});

test("createExporter: statsd over udp://host:port, plain StatsD names", async () => {
  const received: string[] = [];
  const daemon = createSocket("udp4");
  daemon.on("message", (msg) => received.push(msg.toString()));
  await new Promise<void>((r) => daemon.bind(0, "127.0.0.1", r));
  const port = (daemon.address() as AddressInfo).port;
  const e = createExporter(
    { name: "s", type: "statsd", endpoint: `udp://127.0.0.1:${port}`, flushInterval: 0 },
    { env: {} },
  );
  e.push(gaugeSnapshot(T0, 1));
  await e.close();
  const deadline = Date.now() + 20_000;
  while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(received, ["load_test.i_0:1|g"]);
  daemon.close();
  assert.throws(
    () => createExporter({ name: "s", type: "statsd", endpoint: "http://h:1" }, { env: {} }),
    /udp:\/\/host:port/,
  );
});
