import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffDelay, parseRetryAfter } from "./backoff.js";

test("backoff doubles per attempt, is capped, and jitters within [step/2, step)", () => {
  const lo = (n: number) => backoffDelay(n, { minMs: 100, maxMs: 1000, random: () => 0 });
  const hi = (n: number) => backoffDelay(n, { minMs: 100, maxMs: 1000, random: () => 0.999999 });
  assert.deepEqual([0, 1, 2, 3, 4, 10, 500].map(lo), [50, 100, 200, 400, 500, 500, 500]);
  assert.ok(Math.abs(hi(0) - 100) < 0.01 && Math.abs(hi(10) - 1000) < 0.01);
  for (let i = 0; i < 100; i++) {
    const d = backoffDelay(2);
    assert.ok(d >= 1000 && d < 2000);
  }
});

test("Retry-After: seconds, fractional seconds, HTTP dates; garbage and absence are undefined", () => {
  const now = Date.parse("2026-11-22T10:00:00Z");
  assert.equal(parseRetryAfter("7", now), 7000);
  assert.equal(parseRetryAfter(" 0 ", now), 0);
  assert.equal(parseRetryAfter("1.5", now), 1500);
  assert.equal(parseRetryAfter("Sun, 22 Nov 2026 10:00:30 GMT", now), 30_000);
  assert.equal(parseRetryAfter("Sun, 22 Nov 2026 09:00:00 GMT", now), 0, "a date in the past means now");
  assert.equal(parseRetryAfter("soon", now), undefined);
  assert.equal(parseRetryAfter("-5", now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});
