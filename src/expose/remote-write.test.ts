import assert from "node:assert/strict";
import { test } from "node:test";
import { assertGolden } from "../../test/fixtures/exporters/golden.js";
import {
  goldenSnapshot,
  nastyValue,
  nonFiniteSnapshot,
  T0,
} from "../../test/fixtures/exporters/snapshots.js";
import { isHeadroomError } from "../errors.js";
import type { MetricsSnapshot } from "../metrics/snapshot.js";
import { ProtoWriter } from "./protobuf-writer.js";
import {
  encodeRawSeries,
  encodeRemoteWrite,
  encodeWriteRequest,
  remoteWriteHeaders,
} from "./remote-write.js";
import { decodeRemoteWrite, decodeWriteRequestBytes } from "./remote-write-decode.js";

function hex(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 32) {
    out.push(Buffer.from(bytes.subarray(i, i + 32)).toString("hex"));
  }
  return `${out.join("\n")}\n`;
}

test("golden: the WriteRequest protobuf for a snapshot of every family type", () => {
  const { bytes, samples } = encodeWriteRequest(goldenSnapshot, { externalLabels: { instance: "host-a" } });
  assert.equal(samples, 2 + 1 + 1 + 6 + 4 + 1);
  assertGolden("remote-write.hex", hex(bytes));
});

test("series: labels sorted with __name__, external labels added but never over a series label", () => {
  const { body } = encodeRemoteWrite(goldenSnapshot, {
    externalLabels: { instance: "host-a", cpu: "external" },
  });
  const req = decodeRemoteWrite(body);
  for (const s of req.timeseries) {
    const names = s.labels.map(([n]) => n);
    assert.deepEqual(names, [...names].sort(), "labels sorted by name");
    assert.ok(names.includes("__name__"));
    assert.equal(s.samples.length, 1);
    assert.equal(s.samples[0].timestampMs, T0);
  }
  const idle = req.timeseries.find((s) => s.labels.some(([n, v]) => n === "mode" && v === "idle"));
  assert.deepEqual(idle?.labels, [
    ["__name__", "node_cpu_seconds_total"],
    ["cpu", "0"],
    ["instance", "host-a"],
    ["mode", "idle"],
  ]);
  assert.equal(idle?.samples[0].value, 1234.5);
  const torture = req.timeseries.find((s) => s.labels.some(([, v]) => v === "headroom_label_torture"));
  assert.equal(
    torture?.labels.find(([n]) => n === "path")?.[1],
    nastyValue,
    "label value bytes kept exactly",
  );
  const buckets = req.timeseries.filter((s) => s.labels[0][1] === "http_request_duration_seconds_bucket");
  assert.deepEqual(
    buckets.map((s) => [s.labels.find(([n]) => n === "le")?.[1], s.samples[0].value]),
    [
      ["0.1", 3],
      ["0.5", 5],
      ["1", 6],
      ["+Inf", 7],
    ],
  );
  const info = req.timeseries.find((s) => s.labels[0][1] === "nodejs_version_info");
  assert.equal(info?.samples[0].value, 1);
  assert.deepEqual(
    req.metadata.map((m) => [m.name, m.type]),
    [
      ["node_cpu_seconds_total", 1],
      ["node_load1", 2],
      ["headroom_label_torture", 2],
      ["http_request_duration_seconds", 3],
      ["rpc_duration_seconds", 5],
      ["nodejs_version_info", 6],
    ],
  );
  assert.equal(req.metadata[0].unit, "seconds");
});

test("NaN and infinities are legal float64 samples in remote write and are sent as they are", () => {
  const req = decodeRemoteWrite(encodeRemoteWrite(nonFiniteSnapshot).body);
  const values = req.timeseries.map((s) => s.samples[0].value);
  assert.ok(Number.isNaN(values[0]));
  assert.deepEqual(values.slice(1), [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2]);
});

test("timestamps before 1970 and several snapshots in one request", () => {
  const old = { ...nonFiniteSnapshot, timestampMs: -5000 };
  const req = decodeRemoteWrite(encodeRemoteWrite([old, goldenSnapshot], { metadata: false }).body);
  assert.equal(req.timeseries[0].samples[0].timestampMs, -5000);
  assert.equal(req.timeseries.at(-1)?.samples[0].timestampMs, T0);
  assert.equal(req.metadata.length, 0);
});

test("long label values (nested lengths past one varint byte) survive", () => {
  const long = "x".repeat(300) + "ü".repeat(100);
  const snap: MetricsSnapshot = {
    timestampMs: T0,
    families: [
      {
        name: "g",
        type: "gauge",
        help: "",
        unit: "",
        labelNames: ["v"],
        series: [{ labels: { v: long }, value: 1 }],
      },
    ],
  };
  const req = decodeRemoteWrite(encodeRemoteWrite(snap).body);
  assert.equal(req.timeseries[0].labels.find(([n]) => n === "v")?.[1], long);
});

test("headers are the spec's", () => {
  assert.equal(remoteWriteHeaders["Content-Encoding"], "snappy");
  assert.equal(remoteWriteHeaders["Content-Type"], "application/x-protobuf");
  assert.equal(remoteWriteHeaders["X-Prometheus-Remote-Write-Version"], "0.1.0");
});

test("decoder skips unknown fields and rejects malformed bodies", () => {
  const w = new ProtoWriter();
  w.tag(15, 0);
  w.varint(7);
  w.string(14, "ignored");
  assert.deepEqual(decodeWriteRequestBytes(w.finish()), { timeseries: [], metadata: [] });
  for (const bad of [
    Uint8Array.from([0x0a, 0x05, 1]),
    Uint8Array.from([0x0b]),
    Uint8Array.from([0x08, 0xff]),
  ]) {
    assert.throws(
      () => decodeWriteRequestBytes(bad),
      (err) => isHeadroomError(err, "HR_PARSE"),
    );
  }
});

test("raw series: several samples per TimeSeries, external labels, empty series left out", () => {
  const { body, samples } = encodeRawSeries(
    [
      {
        name: "a",
        labels: { z: "1" },
        samples: [
          { t: 1, v: 1.5 },
          { t: 2, v: 2.5 },
        ],
      },
      { name: "b", labels: {}, samples: [] },
    ],
    { instance: "x" },
  );
  assert.equal(samples, 2);
  const req = decodeRemoteWrite(body);
  assert.equal(req.timeseries.length, 1);
  assert.deepEqual(req.timeseries[0].labels, [
    ["__name__", "a"],
    ["instance", "x"],
    ["z", "1"],
  ]);
  assert.deepEqual(req.timeseries[0].samples, [
    { value: 1.5, timestampMs: 1 },
    { value: 2.5, timestampMs: 2 },
  ]);
});
