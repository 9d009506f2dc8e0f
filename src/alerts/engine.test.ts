import assert from "node:assert/strict";
import { test } from "node:test";
import type { HeadroomError } from "../errors.js";
import type { MetricFamily, MetricsSnapshot } from "../metrics/snapshot.js";
import type { Notification } from "./alert.js";
import { createCallbackChannel } from "./channels/callback-channel.js";
import { createAlertEngine } from "./engine.js";
import { createNotifier } from "./notifier.js";
import { type AlertRuleSpec, parseRules } from "./rule.js";
import { initialState, nextState } from "./state-machine.js";
import { createMemoryStateStore } from "./state-store.js";

const S = 1000;
const labelCache = new Map<string, Readonly<Record<string, string>>>();
function L(o: Record<string, string>) {
  const k = JSON.stringify(o);
  let l = labelCache.get(k);
  if (!l) {
    l = Object.freeze({ ...o });
    labelCache.set(k, l);
  }
  return l;
}
function snap(
  tSec: number,
  series: Record<string, number>,
  name = "cpu_usage",
  type: MetricFamily["type"] = "gauge",
) {
  const fam = {
    name,
    help: "",
    unit: "",
    labelNames: ["cpu"],
    type,
    series: Object.entries(series).map(([cpu, value]) => ({ labels: L({ cpu }), value })),
  } as MetricFamily;
  return { timestampMs: tSec * S, families: [fam] } satisfies MetricsSnapshot;
}

function rig(rules: AlertRuleSpec[], store = createMemoryStateStore(), extra: Record<string, unknown> = {}) {
  let t = 0;
  const sent: Notification[] = [];
  const notifier = createNotifier({
    channels: [{ channel: createCallbackChannel("rec", (n) => void sent.push(n)) }],
    groupWait: 0,
    groupInterval: "1s",
    now: () => t,
  });
  const engine = createAlertEngine({ rules, notifier, stateStore: store, now: () => t, ...extra });
  const ev = async (s: MetricsSnapshot) => {
    t = s.timestampMs;
    const r = await engine.evaluate(s);
    await notifier.idle();
    return r;
  };
  const told = () => sent.flatMap((n) => n.alerts.map((a) => `${a.status}:${a.labels.cpu ?? ""}:${a.state}`));
  return { engine, notifier, ev, sent, told, store };
}

const hot: AlertRuleSpec = {
  name: "HighCpu",
  metric: "cpu_usage",
  op: ">",
  threshold: 90,
  labelNames: ["cpu"],
  annotations: { summary: "cpu {{ $labels.cpu }} at {{ $value }}%" },
};

test("one instance per matching series; values go to annotations, never labels", async () => {
  const { ev, told, sent, engine } = rig([{ ...hot, matchers: [{ name: "cpu", op: "!=", value: "9" }] }]);
  const r = await ev(snap(0, { "0": 95, "1": 10, "9": 99 }));
  assert.equal(r.evaluated, 2);
  assert.equal(r.firing, 1);
  assert.deepEqual(told(), ["firing:0:firing"]);
  const a = sent[0].alerts[0];
  assert.deepEqual(a.labels, { cpu: "0", alertname: "HighCpu", severity: "warning" });
  assert.equal(a.annotations.summary, "cpu 0 at 95%");
  assert.equal(engine.alerts().length, 1);
});

test("a scrape gap is not a recovery and does not re-fire as a new alert", async () => {
  const { ev, told } = rig([{ ...hot, missingGrace: "30s" }]);
  await ev(snap(0, { "0": 95 }));
  await ev(snap(10, {}));
  await ev(snap(20, {}));
  await ev(snap(30, { "0": 96 }));
  assert.deepEqual(told(), ["firing:0:firing"]);
  await ev(snap(40, {}));
  await ev(snap(80, {}));
  assert.deepEqual(told(), ["firing:0:firing", "resolved:0:resolved"]);
});

test("windowed reductions over the engine's own window: avg and rate", async () => {
  const { ev, engine } = rig([
    { name: "AvgHigh", metric: "cpu_usage", reduce: "avg", window: "30s", op: ">", threshold: 50 },
    { name: "FastRate", metric: "cpu_usage", reduce: "rate", window: "30s", op: ">", threshold: 2 },
  ]);
  await ev(snap(0, { "0": 0 }));
  await ev(snap(10, { "0": 100 })); // avg 50, rate 10/s
  let states = Object.fromEntries(engine.alerts().map((a) => [a.rule, a.state]));
  assert.deepEqual(states, { FastRate: "firing" });
  await ev(snap(20, { "0": 110 })); // avg 70, rate 5.5/s
  states = Object.fromEntries(engine.alerts().map((a) => [a.rule, a.state]));
  assert.deepEqual(states, { AvgHigh: "firing", FastRate: "firing" });
  await ev(snap(40, { "0": 111 })); // window 10..40: increase 11 over 30 s
  const rate = engine.alerts().find((a) => a.rule === "FastRate");
  assert.ok(rate && rate.value < 2, `rate ${rate?.value}`);
});

test("a history query feeds windows; its failure is the rule's error outcome", async () => {
  let fail = false;
  const calls: string[] = [];
  const history = async (metric: string, labels: Record<string, string>, from: number, to: number) => {
    calls.push(`${metric}{cpu=${labels.cpu}}[${from},${to}]`);
    if (fail) throw new Error("database locked");
    return [
      { t: from, v: 80 },
      { t: from + 10 * S, v: 100 },
    ];
  };
  const { ev, engine, told } = rig(
    [{ name: "Max", metric: "cpu_usage", reduce: "max", window: "1m", op: ">", threshold: 95 }],
    undefined,
    { history },
  );
  await ev(snap(100, { "0": 10 }));
  assert.deepEqual(calls, ["cpu_usage{cpu=0}[40000,100000]"]);
  assert.equal(engine.alerts()[0].state, "firing");
  fail = true;
  await ev(snap(110, { "0": 10 }));
  const a = engine.alerts()[0];
  assert.equal(a.state, "error");
  assert.match(a.error ?? "", /database locked/);
  assert.deepEqual(told(), ["firing:0:firing", "firing:0:error"]);
});

test("restart: `for` keeps counting and a firing alert is not announced again", async () => {
  const store = createMemoryStateStore();
  const rules = [
    { ...hot, for: "60s" },
    { ...hot, name: "Now", threshold: 50 },
  ];
  const a = rig(rules, store);
  await a.ev(snap(0, { "0": 95 }));
  await a.ev(snap(30, { "0": 95 }));
  await a.engine.close();
  assert.deepEqual(a.told(), ["firing:0:firing"]); // Now fired, HighCpu pending

  const b = rig(rules, store);
  await b.engine.load();
  await b.ev(snap(45, { "0": 95 }));
  assert.deepEqual(b.told(), []); // no re-notification of Now, HighCpu still pending
  await b.ev(snap(60, { "0": 95 }));
  assert.deepEqual(b.told(), ["firing:0:firing"]); // HighCpu after 60 s counted across the restart
  assert.equal(b.sent[0].alerts[0].rule, "HighCpu");
});

test("rule-level no data: the nodata policy raises one alert, cleared when series appear", async () => {
  const { ev, told, engine } = rig([{ ...hot, noData: "nodata", missingGrace: "20s" }]);
  await ev({ timestampMs: 0, families: [] });
  await ev({ timestampMs: 10 * S, families: [] });
  assert.deepEqual(told(), []);
  await ev({ timestampMs: 20 * S, families: [] });
  assert.deepEqual(told(), ["firing::nodata"]);
  await ev(snap(30, { "0": 5 }));
  assert.deepEqual(told(), ["firing::nodata", "resolved::resolved"]);
  assert.equal(engine.alerts().length, 0);
});

test("selecting a histogram is an error outcome, not a crash", async () => {
  const { ev, engine } = rig([hot]);
  await ev(snap(0, { "0": 1 }, "cpu_usage", "histogram"));
  assert.match(engine.alerts()[0].error ?? "", /is a histogram/);
});

test("a failing state store is reported and evaluation goes on", async () => {
  const errors: HeadroomError[] = [];
  const store = {
    load: async () => {
      throw new Error("corrupt");
    },
    save: async () => {
      throw new Error("disk full");
    },
  };
  const { engine, told } = rig([hot], store as never, { onError: (e: HeadroomError) => errors.push(e) });
  await engine.load();
  const r = await engine.evaluate(snap(0, { "0": 95 }));
  await engine.close();
  assert.equal(r.firing, 1);
  assert.ok(errors.some((e) => e.code === "HR_STORAGE" && /corrupt/.test(e.message)));
  assert.ok(errors.some((e) => e.code === "HR_STORAGE" && /disk full/.test(e.message)));
  assert.equal(told().length, 1);
});

test("the engine's in-place steady path gives the same states as the pure nextState", async () => {
  const spec: AlertRuleSpec = {
    name: "Ref",
    metric: "cpu_usage",
    op: ">",
    threshold: 90,
    clear: { op: "<", threshold: 80 },
    for: "20s",
    keepFiringFor: "10s",
    flap: { window: "2m", maxTransitions: 4 },
  };
  const rule = parseRules([spec])[0];
  const { ev, engine } = rig([spec]);
  let ref = initialState(0);
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 400; i++) {
    const value = Math.round(rand() * 40 + 65);
    await ev(snap(i * 10, { "0": value }));
    ref = nextState(ref, { kind: "value", value }, i * 10 * S, rule).state;
    const got = engine.alerts()[0];
    assert.equal(got?.state ?? "inactive", ref.state, `step ${i}`);
    if (got) assert.equal(got.flapping, ref.flapping, `step ${i}`);
  }
});

test("overlapping evaluate() calls run one after another", async () => {
  const log: string[] = [];
  const history = async (_m: string, _l: Record<string, string>, _from: number, to: number) => {
    log.push(`start ${to / S}`);
    await new Promise((r) => setTimeout(r, 20));
    log.push(`end ${to / S}`);
    return [];
  };
  const { engine } = rig(
    [{ name: "W", metric: "cpu_usage", reduce: "max", window: "1m", op: ">", threshold: 1 }],
    undefined,
    {
      history,
    },
  );
  await Promise.all([engine.evaluate(snap(10, { "0": 5 })), engine.evaluate(snap(20, { "0": 5 }))]);
  assert.deepEqual(log, ["start 10", "end 10", "start 20", "end 20"]);
});

test("a rule whose metric never appears keeps one quiet instance and does not save every tick", async () => {
  let saves = 0;
  const store = { load: async () => undefined, save: async () => void saves++ };
  const { ev, engine } = rig([{ ...hot, missingGrace: "10s" }], store as never);
  for (let i = 0; i < 60; i++) await ev({ timestampMs: i * 10 * S, families: [] });
  assert.equal(engine.alerts().length, 0);
  assert.equal(saves, 0);
});

test("a flapping alert is announced once as flapping, then stays quiet until it settles", async () => {
  const { ev, sent } = rig([{ ...hot, flap: { window: "10m", maxTransitions: 4 } }]);
  let t = 0;
  for (let i = 0; i < 12; i++) {
    await ev(snap(t, { "0": i % 2 === 0 ? 95 : 10 }));
    t += 10;
  }
  const marks = sent.map((n) => `${n.alerts[0].status}${n.alerts[0].flapping ? "~" : ""}`);
  assert.deepEqual(marks, ["firing", "resolved", "firing", "resolved~"]);
  for (let i = 0; i < 5; i++) {
    await ev(snap(t + 600, { "0": 95 }));
    t += 60;
  }
  assert.deepEqual(
    sent.slice(4).map((n) => `${n.alerts[0].status}${n.alerts[0].flapping ? "~" : ""}`),
    ["firing"],
  );
});

test("windowed rules read a real HistoryStore through a one-line HistoryQuery", async () => {
  const { createMemoryHistory } = await import("../history/memory-store.js");
  const store = createMemoryHistory();
  const history = (name: string, labels: Record<string, string>, startMs: number, endMs: number) =>
    store.queryRange({ name, labels }, { startMs, endMs });
  const { ev, engine } = rig(
    [{ name: "PeakHigh", metric: "cpu_usage", reduce: "max", window: "1m", op: ">", threshold: 90 }],
    undefined,
    { history },
  );
  for (const [t, v] of [
    [0, 50],
    [10, 97],
    [20, 60],
    [30, 55],
  ] as const) {
    const s = snap(t, { "0": v });
    store.appendSnapshot(s);
    await ev(s);
  }
  const a = engine.alerts()[0];
  assert.equal(a.state, "firing");
  assert.equal(a.value, 97);
  for (const t of [80, 90]) {
    const s = snap(t, { "0": 55 });
    store.appendSnapshot(s);
    await ev(s);
  }
  assert.equal(engine.alerts()[0].state, "resolved"); // 97 left the 1-minute window
});
