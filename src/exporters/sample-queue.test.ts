import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gaugeSnapshot, nonFiniteSnapshot, T0 } from "../../test/fixtures/exporters/snapshots.js";
import { isHeadroomError } from "../errors.js";
import { SampleQueue } from "./sample-queue.js";
import { Spool } from "./spool.js";

function temp(): string {
  return mkdtempSync(join(tmpdir(), "headroom-spool-test-"));
}

test("the bound drops the oldest pieces and reports how many samples", () => {
  const q = new SampleQueue(25);
  assert.equal(q.add(gaugeSnapshot(T0, 10), 10), 0);
  assert.equal(q.add(gaugeSnapshot(T0 + 1, 10), 10), 0);
  assert.equal(q.add(gaugeSnapshot(T0 + 2, 10), 10), 10, "the oldest piece makes room");
  assert.equal(q.samples, 20);
  const head = q.take(100);
  assert.deepEqual(
    head.map((e) => e.snapshot.timestampMs),
    [T0 + 1, T0 + 2],
  );
});

test("in-flight pieces are never dropped; with no room left the new piece is", () => {
  const q = new SampleQueue(20);
  q.add(gaugeSnapshot(T0, 10), 10);
  q.add(gaugeSnapshot(T0 + 1, 10), 10);
  q.take(20);
  assert.equal(q.add(gaugeSnapshot(T0 + 2, 10), 10), 10);
  assert.equal(q.samples, 20);
  q.release();
  assert.equal(q.add(gaugeSnapshot(T0 + 3, 10), 10), 10, "after release the oldest goes");
});

test("take respects the batch size but always returns at least one piece; ack removes it", () => {
  const q = new SampleQueue(1000);
  q.add(gaugeSnapshot(T0, 30), 30);
  q.add(gaugeSnapshot(T0 + 1, 30), 30);
  q.add(gaugeSnapshot(T0 + 2, 30), 30);
  assert.equal(q.take(60).length, 2);
  q.ack();
  assert.equal(q.samples, 30);
  assert.equal(q.take(10).length, 1);
});

test("spool: a restart finds exactly the pieces not yet sent, NaN included", () => {
  const dir = temp();
  try {
    const q = new SampleQueue(1000, new Spool(dir, "remote/one"));
    q.add(gaugeSnapshot(T0, 5), 5);
    q.add(nonFiniteSnapshot, 4);
    q.add(gaugeSnapshot(T0 + 2, 5), 5);
    q.take(5);
    q.ack();
    const again = new SampleQueue(1000, new Spool(dir, "remote/one"));
    assert.equal(again.samples, 9);
    const entries = again.take(100);
    assert.deepEqual(
      entries.map((e) => e.snapshot.timestampMs),
      [T0, T0 + 2],
    );
    const weird = entries[0].snapshot.families[0].series.map((s) => (s as { value: number }).value);
    assert.ok(Number.isNaN(weird[0]));
    assert.deepEqual(weird.slice(1), [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2]);
    again.ack();
    assert.equal(
      readFileSync(join(dir, "remote_one.queue.jsonl"), "utf8"),
      "",
      "an empty queue truncates the journal",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("spool: a torn or garbage line is skipped, the rest loads", () => {
  const dir = temp();
  try {
    const spool = new Spool(dir, "x");
    spool.append({ id: 1, samples: 2, snapshot: gaugeSnapshot(T0, 2) });
    writeFileSync(spool.path, `${readFileSync(spool.path, "utf8")}not json\n{"id":2,"samples":`, {
      flag: "w",
    });
    const q = new SampleQueue(100, new Spool(dir, "x"));
    assert.equal(q.samples, 2);
    q.add(gaugeSnapshot(T0 + 1, 1), 1);
    assert.equal(new SampleQueue(100, new Spool(dir, "x")).samples, 3, "ids continue after the loaded ones");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("spool: an unusable directory is an HR_IO error naming it", () => {
  const dir = temp();
  try {
    writeFileSync(join(dir, "file"), "");
    assert.throws(
      () => new Spool(join(dir, "file", "sub"), "x"),
      (err) => isHeadroomError(err, "HR_IO") && err.message.includes("[exporter:x]"),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("spool: a journal that can no longer be written degrades to memory; add never throws", () => {
  const dir = temp();
  try {
    const spool = new Spool(dir, "x");
    const q = new SampleQueue(100, spool);
    rmSync(dir, { recursive: true, force: true });
    assert.equal(q.add(gaugeSnapshot(T0, 2), 2), 0);
    assert.equal(q.samples, 2);
    assert.match(q.spoolError ?? "", /not writable/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
