import assert from "node:assert/strict";
import { test } from "node:test";
import { DEBIAN12, fixture } from "./fixture-path.test-util.js";
import { parsePressure } from "./pressure.js";

test("parsePressure reads some and full in seconds", () => {
  const p = parsePressure(fixture(DEBIAN12, "proc/pressure/io"));
  assert.ok(p.some.totalSeconds >= 0);
  assert.ok(p.full);
  const q = parsePressure("some avg10=1.50 avg60=0.00 avg300=0.00 total=2500000\n");
  assert.equal(q.some.totalSeconds, 2.5);
  assert.equal(q.some.avg10, 1.5);
  assert.equal(q.full, undefined);
});

test("parsePressure refuses malformed text", () => {
  assert.throws(() => parsePressure("full avg10=0 avg60=0 avg300=0 total=0\n"), /no "some"/);
  assert.throws(() => parsePressure("some avg10=x\n"), /malformed/);
  assert.throws(() => parsePressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=-1\n"), /unsigned/);
});
