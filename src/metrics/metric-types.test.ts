import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { exponentialBuckets, linearBuckets } from "./buckets.js";
import { createRegistry } from "./registry.js";
import { findValue, type HistogramFamily, type SummaryFamily } from "./snapshot.js";

describe("counter", () => {
  it("increments through bound handles and the unbound form into the same series", () => {
    const r = createRegistry();
    const c = r.counter({ name: "requests_total", help: "R.", labelNames: ["method", "route", "status"] });
    const h = c.labels({ method: "GET", route: "/", status: "200" });
    h.inc();
    h.inc(2.5);
    c.inc({ method: "GET", route: "/", status: "200" });
    c.inc({ status: "200", route: "/", method: "GET" }, 2);
    assert.equal(h.get(), 6.5);
    assert.equal(r.snapshot().families[0].series.length, 1);
  });

  it("counts and drops negative, NaN and infinite increments instead of throwing", () => {
    const r = createRegistry();
    const c = r.counter({ name: "c_total", help: "C." });
    c.inc(1);
    c.inc(-1);
    c.inc(Number.NaN);
    c.inc(Number.POSITIVE_INFINITY);
    c.labels({}).inc(-5);
    const snap = r.snapshot();
    assert.equal(findValue(snap, "c_total"), 1);
    assert.equal(findValue(snap, "headroom_metrics_rejected_values_total", { metric: "c_total" }), 4);
  });

  it("throws a typed error naming the label when binding with missing or extra labels", () => {
    const r = createRegistry();
    const c = r.counter({ name: "x_total", help: "X.", labelNames: ["a", "b"] });
    assert.throws(() => c.labels({ a: "1" } as never), /x_total: missing label "b"/);
    assert.throws(() => c.labels({ a: "1", b: "2", c: "3" } as never), /x_total: unexpected label "c"/);
    assert.throws(() => c.labels({ a: "1", b: "nul\u0000" }), /contains NUL/);
  });

  it("drops (and counts) unbound calls with bad labels", () => {
    const r = createRegistry();
    const c = r.counter({ name: "y_total", help: "Y.", labelNames: ["a"] });
    c.inc({} as never);
    c.inc({ a: "1", extra: "2" } as never);
    c.inc();
    assert.equal(r.snapshot().families[0].series.length, 0);
    assert.equal(c.table.rejected, 3);
  });

  it("keeps handles of removed series from writing into a recycled slot", () => {
    const r = createRegistry();
    const c = r.counter({ name: "z_total", help: "Z.", labelNames: ["k"] });
    const old = c.labels({ k: "a" });
    old.inc(5);
    assert.equal(c.remove({ k: "a" }), true);
    const fresh = c.labels({ k: "b" });
    old.inc(100);
    fresh.inc(1);
    assert.equal(findValue(r.snapshot(), "z_total", { k: "b" }), 1);
    assert.equal(c.table.stale, 1);
  });

  it("mirrors an external total, taking a lower one as a reset", () => {
    const r = createRegistry();
    const c = r.counter({ name: "cpu_seconds_total", help: "CPU.", labelNames: ["cpu"] });
    c.labels({ cpu: "0" }).setTotal(100);
    c.labels({ cpu: "0" }).setTotal(50);
    assert.equal(findValue(r.snapshot(), "cpu_seconds_total", { cpu: "0" }), 50);
  });
});

describe("gauge", () => {
  it("sets, increments and decrements; rejects non-finite values", () => {
    const r = createRegistry({ now: () => 1_700_000_000_000 });
    const g = r.gauge({ name: "temp", help: "T.", labelNames: ["zone"] });
    const h = g.labels({ zone: "a" });
    h.set(10);
    h.inc(5);
    h.dec(3);
    h.set(Number.NaN);
    g.set({ zone: "b" }, -4);
    g.setToCurrentTime({ zone: "c" });
    assert.equal(h.get(), 12);
    assert.equal(g.get({ zone: "b" }), -4);
    assert.equal(g.get({ zone: "c" }), 1_700_000_000);
    assert.equal(g.table.rejected, 1);
  });

  it("retainOnly drops the other series and keeps the survivors' identity across snapshots", async () => {
    const r = createRegistry();
    const g = r.gauge({ name: "top_rss", help: "T.", labelNames: ["pid", "name"] });
    g.set({ pid: "1", name: "init" }, 10);
    g.set({ pid: "2", name: "sh" }, 20);
    const labelsOf = async () =>
      (await r.collect()).families.find((f) => f.name === "top_rss")!.series.map((s) => s.labels);
    const [init] = await labelsOf();
    g.retainOnly([
      { pid: 1, name: "init" },
      { pid: "3", name: "node" },
    ]);
    g.set({ pid: "3", name: "node" }, 30);
    const after = await labelsOf();
    assert.deepEqual(after, [
      { pid: "1", name: "init" },
      { pid: "3", name: "node" },
    ]);
    assert.equal(after[0], init, "the surviving series keeps its labels object");
    assert.throws(() => g.retainOnly([{ pid: "1" } as never]), /missing label "name"/);
  });
});

describe("histogram", () => {
  it("counts into cumulative buckets with sum and count", () => {
    const r = createRegistry();
    const h = r.histogram({ name: "lat_seconds", help: "L.", labelNames: ["op"], buckets: [0.1, 0.5, 1] });
    const op = h.labels({ op: "read" });
    // Up and down from the previous bucket, and values equal to a bound (which belong to it).
    for (const v of [0.05, 0.1, 0.3, 0.7, 2, 0.5]) op.observe(v);
    h.observe({ op: "read" }, Number.NaN);
    const family = r.snapshot().families[0] as HistogramFamily;
    assert.deepEqual(family.buckets, [0.1, 0.5, 1]);
    assert.deepEqual(family.series[0].counts, [2, 4, 5, 6]);
    assert.equal(family.series[0].count, 6);
    assert.ok(Math.abs(family.series[0].sum - 3.65) < 1e-9);
    assert.equal(h.table.rejected, 1);
  });

  it("counts values equal to a bound into that bound's bucket, walking either way", () => {
    const r = createRegistry();
    const h = r.histogram({ name: "edges", help: "E.", buckets: [1, 2, 3] });
    for (const v of [3, 1, 2, 4, 0, 3, 1]) h.observe(v);
    const s = (r.snapshot().families[0] as HistogramFamily).series[0];
    assert.deepEqual(s.counts, [3, 4, 6, 7]);
  });

  it("finds buckets by binary search for long bucket lists", () => {
    const r = createRegistry();
    const h = r.histogram({ name: "big", help: "B.", buckets: linearBuckets(1, 1, 40) });
    h.observe(20.5);
    h.observe(0);
    h.observe(1000);
    const s = (r.snapshot().families[0] as HistogramFamily).series[0];
    assert.equal(s.counts[0], 1);
    assert.equal(s.counts[19], 1);
    assert.equal(s.counts[20], 2);
    assert.equal(s.counts[40], 3);
  });

  it("rejects bucket lists that are empty, unsorted or not finite", () => {
    const r = createRegistry();
    assert.throws(() => r.histogram({ name: "h1", help: "", buckets: [] }), /at least one finite bucket/);
    assert.throws(() => r.histogram({ name: "h2", help: "", buckets: [1, 1] }), /strictly increasing/);
    assert.throws(() => r.histogram({ name: "h3", help: "", buckets: [2, 1] }), /strictly increasing/);
    assert.throws(() => r.histogram({ name: "h4", help: "", buckets: [Number.NaN] }), /not a finite number/);
    assert.doesNotThrow(() => r.histogram({ name: "h5", help: "", buckets: [1, Number.POSITIVE_INFINITY] }));
  });

  it("builds linear and exponential buckets and validates their arguments", () => {
    assert.deepEqual(linearBuckets(0, 5, 3), [0, 5, 10]);
    assert.deepEqual(exponentialBuckets(1, 2, 4), [1, 2, 4, 8]);
    assert.throws(() => linearBuckets(0, 0, 3), /width > 0/);
    assert.throws(() => exponentialBuckets(0, 2, 3), /start > 0/);
  });
});

describe("summary", () => {
  it("reports quantiles within the sketch's accuracy and a sliding window", () => {
    let now = 0;
    const r = createRegistry({ now: () => now });
    const s = r.summary({
      name: "size_bytes",
      help: "S.",
      percentiles: [0.5, 0.99],
      maxAgeSeconds: 10,
      ageBuckets: 2,
    });
    for (let i = 1; i <= 1000; i++) s.observe(i);
    let family = r.snapshot().families[0] as SummaryFamily;
    const [p50, p99] = family.series[0].quantiles;
    assert.ok(Math.abs(p50.value - 500) / 500 < 0.03, `p50 ${p50.value}`);
    assert.ok(Math.abs(p99.value - 990) / 990 < 0.03, `p99 ${p99.value}`);
    assert.equal(family.series[0].count, 1000);
    now += 11_000;
    s.observe(5);
    family = r.snapshot().families[0] as SummaryFamily;
    assert.equal(family.series[0].count, 1001, "count and sum are cumulative");
    assert.ok(family.series[0].quantiles[0].value < 6, "old observations left the window");
  });

  it("rejects percentiles outside [0, 1]", () => {
    assert.throws(
      () => createRegistry().summary({ name: "s", help: "", percentiles: [1.5] }),
      /not in \[0, 1\]/,
    );
  });
});

describe("timer and rate", () => {
  it("observes a scope's duration with using", async () => {
    const r = createRegistry();
    const t = r.timer({ name: "work_seconds", help: "W.", labelNames: ["kind"] });
    {
      using _scope = t.start({ kind: "a" });
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    const result = await t.time(() => 3, { kind: "b" });
    assert.equal(result, 3);
    const family = r.snapshot().families[0] as HistogramFamily;
    const a = family.series.find((s) => s.labels.kind === "a");
    assert.equal(a?.count, 1);
    assert.ok((a?.sum ?? 0) >= 0.01);
    assert.equal(family.unit, "seconds");
  });

  it("reports events per second over its window", () => {
    let now = 1_000_000;
    const r = createRegistry({ now: () => now });
    const rate = r.rate({ name: "events_per_second", help: "E.", windowSeconds: 10 });
    r.snapshot();
    rate.mark(50);
    now += 5000;
    assert.equal(findValue(r.snapshot(), "events_per_second"), 10);
    now += 10_000;
    rate.mark(20);
    assert.equal(findValue(r.snapshot(), "events_per_second"), 2);
  });
});

describe("info and stateset", () => {
  it("exposes facts and one current state", () => {
    const r = createRegistry();
    r.info({ name: "build_info", help: "B.", labels: { version: "1.2.3" } });
    const s = r.stateSet({ name: "mode", help: "M.", states: ["idle", "busy"] });
    s.setState("busy");
    s.setState("unknown");
    const snap = r.snapshot();
    assert.equal(findValue(snap, "build_info", { version: "1.2.3" }), 1);
    assert.equal(findValue(snap, "mode", { mode: "busy" }), 1);
    assert.equal(findValue(snap, "mode", { mode: "idle" }), 0);
    assert.throws(() => r.info({ name: "build", help: "", labels: {} }), /must end in _info/);
  });
});

describe("label typing", () => {
  it("infers label keys from the declaration and requires every one", () => {
    const r = createRegistry();
    const c = r.counter({ name: "typed_total", help: "T.", labelNames: ["method", "status"] });
    c.labels({ method: "GET", status: 200 }).inc();
    // @ts-expect-error: "status" is required
    assert.throws(() => c.labels({ method: "GET" }));
    // @ts-expect-error: "route" was not declared
    assert.throws(() => c.labels({ method: "GET", status: "200", route: "/" }));
    const plain = r.gauge({ name: "plain", help: "P." });
    plain.set(1);
    // @ts-expect-error: a gauge without labels takes no label object
    plain.set({ x: "1" }, 2);
  });
});
