import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRule } from "./rule.js";
import { type EvalOutcome, type InstanceState, initialState, nextState } from "./state-machine.js";

const S = 1000;
function run(rule: ReturnType<typeof parseRule>, steps: [number, EvalOutcome][], start?: InstanceState) {
  let st = start ?? initialState(0);
  const out: string[] = [];
  for (const [t, o] of steps) {
    const r = nextState(st, o, t * S, rule);
    st = r.state;
    out.push(r.notify ? `${st.state}!${r.notify}` : st.state);
  }
  return { st, out };
}
const v = (value: number): EvalOutcome => ({ kind: "value", value });
const missing: EvalOutcome = { kind: "missing" };

test("pending never notifies; firing after `for`; a re-trigger after resolve restarts `for`", () => {
  const rule = parseRule({ name: "R", metric: "m", op: ">", threshold: 10, for: "20s" });
  const { out } = run(rule, [
    [0, v(11)],
    [10, v(12)],
    [20, v(13)],
    [30, v(5)],
    [40, v(11)],
    [50, v(11)],
    [60, v(11)],
  ]);
  assert.deepEqual(out, [
    "pending",
    "pending",
    "firing!firing",
    "resolved!resolved",
    "pending",
    "pending",
    "firing!firing",
  ]);
});

test("pending that drops below returns to inactive silently", () => {
  const rule = parseRule({ name: "R", metric: "m", op: ">", threshold: 10, for: "1m" });
  assert.deepEqual(
    run(rule, [
      [0, v(11)],
      [10, v(1)],
    ]).out,
    ["pending", "inactive"],
  );
});

test("keepFiringFor delays resolve", () => {
  const rule = parseRule({ name: "R", metric: "m", op: ">", threshold: 10, keepFiringFor: "30s" });
  const { out } = run(rule, [
    [0, v(11)],
    [10, v(1)],
    [20, v(1)],
    [40, v(1)],
  ]);
  assert.deepEqual(out, ["firing!firing", "firing", "firing", "resolved!resolved"]);
});

test("hysteresis: fire above 90, clear below 80 (Prometheus #10536, Grafana #6202)", () => {
  const rule = parseRule({
    name: "R",
    metric: "m",
    op: ">",
    threshold: 90,
    clear: { op: "<", threshold: 80 },
  });
  const { out } = run(rule, [
    [0, v(91)],
    [10, v(85)],
    [20, v(89)],
    [30, v(79)],
    [40, v(85)],
    [50, v(91)],
  ]);
  assert.deepEqual(out, [
    "firing!firing",
    "firing",
    "firing",
    "resolved!resolved",
    "resolved",
    "firing!firing",
  ]);
});

test("a scrape gap inside the missing-series grace is not a recovery", () => {
  const rule = parseRule({ name: "R", metric: "m", op: ">", threshold: 10, missingGrace: "60s" });
  const { out } = run(rule, [
    [0, v(11)],
    [10, missing],
    [40, missing],
    [50, v(12)],
    [60, missing],
    [200, missing],
  ]);
  assert.deepEqual(out, ["firing!firing", "firing", "firing", "firing", "firing", "resolved!resolved"]);
});

test("no-data policies: nodata state, alerting, ok, keep-last", () => {
  const mk = (noData: string) =>
    parseRule({ name: "R", metric: "m", op: ">", threshold: 10, missingGrace: "10s", noData, for: "0s" });
  assert.deepEqual(
    run(mk("nodata"), [
      [0, v(1)],
      [20, missing],
      [30, missing],
      [40, v(1)],
    ]).out,
    ["inactive", "nodata!nodata", "nodata", "resolved!resolved"],
  );
  assert.deepEqual(
    run(mk("alerting"), [
      [0, v(1)],
      [20, missing],
    ]).out,
    ["inactive", "firing!firing"],
  );
  assert.deepEqual(
    run(mk("ok"), [
      [0, v(11)],
      [20, missing],
    ]).out,
    ["firing!firing", "resolved!resolved"],
  );
  assert.deepEqual(
    run(mk("keep-last"), [
      [0, v(11)],
      [20, missing],
      [900, missing],
    ]).out,
    ["firing!firing", "firing", "firing"],
  );
});

test("error outcome follows onError policy and keeps the message", () => {
  const rule = parseRule({ name: "R", metric: "m", op: ">", threshold: 10 });
  const { st, out } = run(rule, [[0, { kind: "error", message: "history down" }]]);
  assert.deepEqual(out, ["error!error"]);
  assert.equal(st.error, "history down");
  const keep = parseRule({ name: "R", metric: "m", op: ">", threshold: 10, onError: "keep-last" });
  assert.deepEqual(
    run(keep, [
      [0, v(11)],
      [10, { kind: "error", message: "x" }],
    ]).out,
    ["firing!firing", "firing"],
  );
});

test("flapping is notified once, then quiet until it settles", () => {
  const rule = parseRule({
    name: "R",
    metric: "m",
    op: ">",
    threshold: 10,
    flap: { window: "100s", maxTransitions: 4 },
  });
  const steps: [number, EvalOutcome][] = [];
  for (let i = 0; i < 8; i++) steps.push([i * 10, v(i % 2 === 0 ? 11 : 1)]);
  steps.push([300, v(11)]);
  const { out } = run(rule, steps);
  assert.deepEqual(out.slice(0, 4), [
    "firing!firing",
    "resolved!resolved",
    "firing!firing",
    "resolved!flapping",
  ]);
  assert.deepEqual(out.slice(4, 8), ["firing", "resolved", "firing", "resolved"]);
  assert.equal(out[8], "firing!firing"); // calm again: the settled state is told once
});

test("nextState is pure: it never mutates the previous state", () => {
  const rule = parseRule({ name: "R", metric: "m", op: ">", threshold: 10, for: "1m" });
  const prev = Object.freeze(initialState(0));
  const r = nextState(prev, v(11), 1000, rule);
  assert.equal(prev.state, "inactive");
  assert.equal(r.state.state, "pending");
});
