// No OpenTelemetry collector runs on these machines, so OTLP/JSON is checked against golden
// files and against the message shapes of opentelemetry-proto (metrics/v1/metrics.proto and
// collector/metrics/v1/metrics_service.proto) as the OTLP JSON mapping writes them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertGolden } from "../../test/fixtures/exporters/golden.js";
import {
  goldenSnapshot,
  nastyValue,
  nonFiniteSnapshot,
  T0,
} from "../../test/fixtures/exporters/snapshots.js";
import { encodeOtlpJson, otlpRequest } from "./otlp-json.js";

type Json = Record<string, unknown>;

const isUint64String = (v: unknown) => typeof v === "string" && /^(0|[1-9]\d*)$/.test(v);
const isDouble = (v: unknown) =>
  typeof v === "number" || v === "NaN" || v === "Infinity" || v === "-Infinity";
const ALLOWED_METRIC_KEYS = new Set(["name", "description", "unit", "gauge", "sum", "histogram", "summary"]);

function checkAttributes(attrs: unknown, where: string): void {
  assert.ok(Array.isArray(attrs), `${where}: attributes is an array`);
  for (const kv of attrs as Json[]) {
    assert.equal(typeof kv.key, "string", `${where}: key`);
    const value = kv.value as Json;
    assert.equal(typeof value.stringValue, "string", `${where}: AnyValue.stringValue`);
  }
}

function checkPoint(p: Json, where: string): void {
  checkAttributes(p.attributes, where);
  assert.ok(isUint64String(p.timeUnixNano), `${where}: timeUnixNano is a uint64 string`);
  if (p.startTimeUnixNano !== undefined)
    assert.ok(isUint64String(p.startTimeUnixNano), `${where}: startTimeUnixNano`);
}

/** Shape check of an ExportMetricsServiceRequest in OTLP/JSON. */
function checkOtlpSchema(req: Json): void {
  const rms = req.resourceMetrics as Json[];
  assert.ok(Array.isArray(rms) && rms.length > 0);
  for (const rm of rms) {
    checkAttributes((rm.resource as Json).attributes, "resource");
    for (const sm of rm.scopeMetrics as Json[]) {
      assert.equal(typeof (sm.scope as Json).name, "string");
      for (const m of sm.metrics as Json[]) {
        for (const key of Object.keys(m))
          assert.ok(ALLOWED_METRIC_KEYS.has(key), `unknown Metric field ${key}`);
        assert.match(m.name as string, /^[A-Za-z][\w./-]*$/);
        const data = ["gauge", "sum", "histogram", "summary"].filter((k) => k in m);
        assert.equal(data.length, 1, `${m.name}: exactly one data field (oneof)`);
        const body = m[data[0]] as Json;
        if (data[0] === "sum" || data[0] === "histogram") {
          assert.equal(body.aggregationTemporality, 2, "enums are integers: CUMULATIVE = 2");
        }
        if (data[0] === "sum") assert.equal(typeof body.isMonotonic, "boolean");
        for (const p of body.dataPoints as Json[]) {
          checkPoint(p, m.name as string);
          if (data[0] === "gauge" || data[0] === "sum") assert.ok(isDouble(p.asDouble), "asDouble");
          if (data[0] === "histogram") {
            assert.ok(isUint64String(p.count));
            const counts = p.bucketCounts as unknown[];
            const bounds = p.explicitBounds as unknown[];
            assert.ok(counts.every(isUint64String), "bucketCounts are uint64 strings");
            assert.equal(counts.length, bounds.length + 1, "one more bucket count than bounds");
            const total = counts.reduce((a: number, c) => a + Number(c), 0);
            assert.equal(String(total), p.count, "bucket counts add up to count");
          }
          if (data[0] === "summary") {
            assert.ok(isUint64String(p.count));
            for (const q of p.quantileValues as Json[])
              assert.ok(isDouble(q.value) && typeof q.quantile === "number");
          }
        }
      }
    }
  }
}

test("golden: OTLP/JSON request for a snapshot of every family type", () => {
  const body = encodeOtlpJson(goldenSnapshot, {
    resource: { "service.name": "headroom", "host.name": "host-a" },
  });
  checkOtlpSchema(JSON.parse(body));
  assertGolden("otlp.json", `${JSON.stringify(JSON.parse(body), null, 2)}\n`);
});

test("mapping: counter -> monotonic sum, histogram -> per-bucket counts, label values kept exactly", () => {
  const req = otlpRequest(goldenSnapshot) as { resourceMetrics: { scopeMetrics: { metrics: Json[] }[] }[] };
  const metrics = req.resourceMetrics[0].scopeMetrics[0].metrics;
  const cpu = metrics.find((m) => m.name === "node_cpu_seconds_total") as Json;
  const sum = cpu.sum as { isMonotonic: boolean; dataPoints: Json[] };
  assert.equal(sum.isMonotonic, true);
  assert.equal(sum.dataPoints[0].startTimeUnixNano, `${T0 - 60_000}000000`);
  assert.equal(sum.dataPoints[0].timeUnixNano, `${T0}000000`);
  const hist = (metrics.find((m) => m.name === "http_request_duration_seconds") as Json).histogram as {
    dataPoints: Json[];
  };
  assert.deepEqual(hist.dataPoints[0].bucketCounts, ["3", "2", "1", "1"]);
  const torture = (metrics.find((m) => m.name === "headroom_label_torture") as Json).gauge as {
    dataPoints: Json[];
  };
  const attrs = torture.dataPoints[0].attributes as { key: string; value: { stringValue: string } }[];
  assert.equal(attrs.find((a) => a.key === "path")?.value.stringValue, nastyValue);
  checkOtlpSchema(req as unknown as Json);
});

test("non-finite doubles use the protobuf JSON spellings", () => {
  const req = JSON.parse(encodeOtlpJson(nonFiniteSnapshot));
  checkOtlpSchema(req);
  const points = req.resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints;
  assert.deepEqual(
    points.map((p: Json) => p.asDouble),
    ["NaN", "Infinity", "-Infinity", 2],
  );
});

test("the schema check itself rejects malformed requests", () => {
  const bad = [
    { resourceMetrics: [] },
    {
      resourceMetrics: [
        {
          resource: { attributes: [] },
          scopeMetrics: [
            {
              scope: { name: "x" },
              metrics: [
                { name: "a", gauge: { dataPoints: [{ attributes: [], timeUnixNano: 5, asDouble: 1 }] } },
              ],
            },
          ],
        },
      ],
    },
  ];
  for (const req of bad) assert.throws(() => checkOtlpSchema(req as Json));
});
