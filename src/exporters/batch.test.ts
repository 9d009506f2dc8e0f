import assert from "node:assert/strict";
import { test } from "node:test";
import { gaugeSnapshot, goldenSnapshot, T0 } from "../../test/fixtures/exporters/snapshots.js";
import { snapshotSampleCount } from "../expose/push-samples.js";
import { splitSnapshot } from "./batch.js";

test("pieces hold at most batchSize samples, keep the timestamp, and lose nothing", () => {
  const snap = gaugeSnapshot(T0, 250);
  const pieces = splitSnapshot(snap, 100);
  assert.deepEqual(
    pieces.map((p) => p.samples),
    [100, 100, 50],
  );
  for (const p of pieces) {
    assert.equal(p.snapshot.timestampMs, T0);
    assert.equal(snapshotSampleCount(p.snapshot), p.samples);
  }
  const values = pieces.flatMap((p) =>
    p.snapshot.families.flatMap((f) => f.series.map((s) => (s as { value: number }).value)),
  );
  assert.deepEqual(
    values,
    snap.families[0].series.map((s) => (s as { value: number }).value),
  );
});

test("a histogram series is never split; one larger than the batch travels alone", () => {
  // The golden histogram series is 6 samples (3 bounds + Inf + sum + count).
  const pieces = splitSnapshot(goldenSnapshot, 4);
  assert.equal(
    pieces.reduce((n, p) => n + p.samples, 0),
    snapshotSampleCount(goldenSnapshot),
  );
  const hist = pieces.find((p) => p.snapshot.families.some((f) => f.type === "histogram"));
  assert.equal(hist?.samples, 6);
  assert.equal(hist?.snapshot.families.length, 1);
  for (const p of pieces) assert.ok(p.samples <= 4 || p.snapshot.families[0].series.length === 1);
});

test("empty families and snapshots produce no pieces", () => {
  assert.deepEqual(splitSnapshot({ timestampMs: T0, families: [] }, 10), []);
  assert.deepEqual(splitSnapshot(gaugeSnapshot(T0, 0), 10), []);
});
