// No Elasticsearch or OpenSearch runs on these machines, so `_bulk` bodies are checked against
// golden files and the NDJSON rules of the bulk API (action line, source line, final newline).
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
import { encodeElasticsearchBulk, indexName, validateIndexPattern } from "./elasticsearch-bulk.js";

test("golden: _bulk NDJSON for a snapshot of every family type", () => {
  const out = encodeElasticsearchBulk(goldenSnapshot, { defaultLabels: { host: "host-a" } });
  assert.equal(out.documents, 7);
  assertGolden("elasticsearch-bulk.ndjson", out.body);
});

test("NDJSON: action and source lines alternate, each is one JSON object, body ends with a newline", () => {
  const { body } = encodeElasticsearchBulk(goldenSnapshot);
  assert.ok(body.endsWith("\n"));
  const lines = body.slice(0, -1).split("\n");
  assert.equal(lines.length % 2, 0);
  for (let i = 0; i < lines.length; i += 2) {
    const action = JSON.parse(lines[i]);
    assert.deepEqual(Object.keys(action), ["create"]);
    assert.match(action.create._index, /^headroom-metrics-2026\.11\.22$/);
    assert.match(action.create._id, /^[0-9a-f]+-\d+$/);
    const doc = JSON.parse(lines[i + 1]);
    assert.equal(doc["@timestamp"], new Date(T0).toISOString());
  }
  const torture = lines.map((l) => JSON.parse(l)).find((d) => d.name === "headroom_label_torture");
  assert.equal(torture.labels.path, nastyValue, "newlines and quotes stay inside one JSON line");
});

test("ids are stable for the same series and time, and differ between series", () => {
  const ids = (s = goldenSnapshot) =>
    encodeElasticsearchBulk(s)
      .body.trimEnd()
      .split("\n")
      .filter((_, i) => i % 2 === 0)
      .map((l) => JSON.parse(l).create._id);
  assert.deepEqual(ids(), ids());
  assert.equal(new Set(ids()).size, ids().length);
  assert.notDeepEqual(ids({ ...goldenSnapshot, timestampMs: T0 + 1 }), ids());
});

test("index pattern placeholders and validation", () => {
  assert.equal(
    indexName("m-{yyyy}.{MM}.{dd}-{HH}-{name}", T0, "DCGM_FI_DEV_GPU_UTIL"),
    "m-2026.11.22-10-dcgm_fi_dev_gpu_util",
  );
  const { body } = encodeElasticsearchBulk(goldenSnapshot, { indexPattern: "metrics-{name}" });
  assert.match(body, /"_index":"metrics-node_load1"/);
  for (const bad of ["Metrics-{yyyy}", "a b", "_hidden", "x*", "", "a{unknown}"]) {
    assert.throws(
      () => validateIndexPattern(bad),
      (err) => isHeadroomError(err, "HR_CONFIG") && err.message.startsWith("[exporter:elasticsearch]"),
      bad,
    );
  }
});

test("non-finite values: the document is left out and counted (JSON cannot carry them)", () => {
  const out = encodeElasticsearchBulk(nonFiniteSnapshot);
  assert.equal(out.documents, 1);
  assert.equal(out.skipped, 3);
  assert.doesNotMatch(out.body, /NaN|Infinity/);
  const nanSum = {
    timestampMs: T0,
    families: [
      { ...goldenSnapshot.families[4], series: [{ labels: {}, quantiles: [], sum: Number.NaN, count: 1 }] },
    ],
  };
  assert.match(encodeElasticsearchBulk(nanSum as typeof goldenSnapshot).body, /"sum":null/);
});
