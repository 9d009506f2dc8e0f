import assert from "node:assert/strict";
import { test } from "node:test";
import { assertGolden } from "../../test/fixtures/exporters/golden.js";
import { goldenSnapshot, nonFiniteSnapshot, T0 } from "../../test/fixtures/exporters/snapshots.js";
import type { MetricsSnapshot } from "../metrics/snapshot.js";
import { encodeStatsd, packDatagrams, type StatsdState } from "./statsd.js";

function bumped(by: number): MetricsSnapshot {
  return {
    timestampMs: T0 + 1000,
    families: goldenSnapshot.families.map((f) => {
      if (f.type === "counter") return { ...f, series: f.series.map((s) => ({ ...s, value: s.value + by })) };
      if (f.type === "histogram")
        return { ...f, series: f.series.map((s) => ({ ...s, sum: s.sum + by, count: s.count + by })) };
      return f;
    }),
  } as MetricsSnapshot;
}

test("golden: DogStatsD and plain StatsD lines for every family type (second snapshot, so counters have deltas)", () => {
  for (const flavor of ["dogstatsd", "statsd"] as const) {
    const state: StatsdState = new Map();
    const first = encodeStatsd(goldenSnapshot, state, { flavor, prefix: "hr", defaultTags: { host: "h1" } });
    assert.ok(
      first.lines.every((l) => !/\|c/.test(l)),
      "the first sight of a counter only records it",
    );
    const second = encodeStatsd(bumped(3), state, { flavor, prefix: "hr", defaultTags: { host: "h1" } });
    assertGolden(`${flavor}.txt`, `${second.lines.join("\n")}\n`);
  }
});

test("separators in names and label values never reach the wire; newlines never split a line", () => {
  const { lines } = encodeStatsd(goldenSnapshot, new Map());
  const torture = lines.find((l) => l.startsWith("headroom_label_torture"));
  assert.ok(torture);
  assert.equal(torture.split("|").length, 3, "name:value | type | #tags");
  assert.equal(torture.split(":").length, 3, "one ':' after the name, one inside the single tag");
  assert.doesNotMatch(torture, /\n/);
  assert.match(torture, /ü_Ω_温度/);
});

test("counters: increases only, a reset counts its new total; negative gauges in plain StatsD", () => {
  const counter = (v: number): MetricsSnapshot => ({
    timestampMs: T0,
    families: [
      {
        name: "c_total",
        type: "counter",
        help: "",
        unit: "",
        labelNames: [],
        series: [{ labels: {}, value: v }],
      },
    ],
  });
  const state: StatsdState = new Map();
  const lines = [10, 15, 15, 4].map((v) => encodeStatsd(counter(v), state).lines);
  assert.deepEqual(lines, [[], ["c_total:5|c"], [], ["c_total:4|c"]]);
  const g: MetricsSnapshot = {
    timestampMs: T0,
    families: [
      { name: "g", type: "gauge", help: "", unit: "", labelNames: [], series: [{ labels: {}, value: -2 }] },
    ],
  };
  assert.deepEqual(encodeStatsd(g, new Map(), { flavor: "statsd" }).lines, ["g:0|g", "g:-2|g"]);
  assert.deepEqual(encodeStatsd(g, new Map(), { flavor: "dogstatsd" }).lines, ["g:-2|g"]);
});

test("NaN and infinities are left out and counted", () => {
  const out = encodeStatsd(nonFiniteSnapshot, new Map());
  assert.equal(out.skipped, 3);
  assert.deepEqual(out.lines, ["weird_values:2|g|#kind:ok"]);
});

test("datagrams stay under the size limit and keep whole lines", () => {
  const lines = Array.from({ length: 100 }, (_, i) => `metric_${i}:${i}|g|#host:h`);
  const grams = packDatagrams(lines, 200);
  for (const g of grams) assert.ok(new TextEncoder().encode(g).length <= 200);
  assert.deepEqual(grams.join("\n").split("\n"), lines);
  assert.deepEqual(packDatagrams(["x".repeat(300)], 200), ["x".repeat(300)]);
});
