import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ErrorCode, HeadroomError, isHeadroomError } from "../errors.js";
import { createRegistry } from "./registry.js";
import { findValue } from "./snapshot.js";

describe("registry", () => {
  it("rejects a duplicate name with a typed error carrying the existing metric", () => {
    const r = createRegistry();
    const first = r.counter({ name: "jobs_total", help: "Jobs." });
    assert.throws(
      () => r.gauge({ name: "jobs_total", help: "Again." }),
      (err: unknown) =>
        isHeadroomError(err, ErrorCode.AlreadyRegistered) && (err as HeadroomError).data?.existing === first,
    );
  });

  it("validates names and label names at definition", () => {
    const r = createRegistry();
    assert.throws(() => r.counter({ name: "9bad", help: "" }), /invalid metric name "9bad"/);
    assert.throws(
      () => r.counter({ name: "ok_total", help: "", labelNames: ["bad-label"] }),
      /invalid label name "bad-label"/,
    );
    assert.throws(() => r.counter({ name: "ok2_total", help: "", labelNames: ["le"] }), /"le" is reserved/);
    assert.throws(
      () => r.summary({ name: "s", help: "", labelNames: ["quantile"] }),
      /"quantile" is reserved/,
    );
    assert.throws(
      () => r.counter({ name: "ok3_total", help: "", labelNames: ["__x"] }),
      /invalid label name/,
    );
    assert.throws(() => r.counter({ name: "ok4_total", help: "", labelNames: ["a", "a"] }), /declared twice/);
    assert.throws(() => r.counter({ namespace: "bad ns", name: "x", help: "" }), /invalid metric name/);
  });

  it("prefixes the namespace and filters snapshots by namespace, name and labels", () => {
    const r = createRegistry();
    const a = r.counter({ namespace: "app", name: "hits_total", help: "Hits.", labelNames: ["route"] });
    r.gauge({ namespace: "sys", name: "load", help: "Load." }).set(1);
    a.inc({ route: "/a" });
    a.inc({ route: "/b" }, 3);
    assert.equal(r.get("app_hits_total"), a);
    assert.deepEqual(
      r.snapshot({ namespace: "app" }).families.map((f) => f.name),
      ["app_hits_total"],
    );
    const filtered = r.snapshot({ names: ["app_hits_total"], labels: { route: "/b" } });
    assert.equal(filtered.families[0].series.length, 1);
    assert.equal(findValue(filtered, "app_hits_total", { route: "/b" }), 3);
    assert.equal(r.unregister("app_hits_total"), true);
    assert.equal(r.get("app_hits_total"), undefined);
  });

  it("evaluates computed gauges and drops only the failing one, counting it", async () => {
    const r = createRegistry();
    r.registerComputedGauge("good_value", () => 42);
    r.registerComputedGauge("bad_value", () => {
      throw new Error("boom");
    });
    r.registerComputedGauge("slow_value", () => new Promise<number>(() => {}), { timeoutMs: 20 });
    r.registerComputedGauge("async_value", async () => 7);
    const snap = await r.collect();
    assert.equal(findValue(snap, "good_value"), 42);
    assert.equal(findValue(snap, "async_value"), 7);
    assert.equal(findValue(snap, "bad_value"), undefined);
    assert.equal(findValue(snap, "slow_value"), undefined);
    assert.equal(findValue(snap, "headroom_metrics_callback_failures_total", { callback: "bad_value" }), 1);
    assert.equal(findValue(snap, "headroom_metrics_callback_failures_total", { callback: "slow_value" }), 1);
  });

  it("runs collectors before collecting; a failing collector does not stop the snapshot", async () => {
    const r = createRegistry();
    const g = r.gauge({ name: "queue_depth", help: "Depth." });
    r.registerCollector(async () => g.set(5), { name: "depth" });
    r.registerCollector(
      async () => {
        throw new Error("no");
      },
      { name: "broken" },
    );
    const snap = await r.collect();
    assert.equal(findValue(snap, "queue_depth"), 5);
    assert.equal(findValue(snap, "headroom_metrics_callback_failures_total", { callback: "broken" }), 1);
  });

  it("sends series past the limit to a visible overflow series and counts them", () => {
    const r = createRegistry({ seriesLimit: 3 });
    const c = r.counter({ name: "req_total", help: "Req.", labelNames: ["user"] });
    for (let i = 0; i < 10; i++) c.inc({ user: `u${i}` });
    const snap = r.snapshot();
    const family = snap.families.find((f) => f.name === "req_total");
    assert.equal(family?.series.length, 4);
    assert.equal(findValue(snap, "req_total", { user: "__overflow__" }), 7);
    assert.equal(findValue(snap, "headroom_metrics_series_overflow_total", { metric: "req_total" }), 7);
  });

  it("expires series that stay idle when asked to", () => {
    let now = 1_000_000;
    const r = createRegistry({ expireIdleSeriesAfterMs: 60_000, now: () => now });
    const c = r.counter({ name: "idle_total", help: "Idle.", labelNames: ["k"] });
    c.inc({ k: "busy" });
    c.inc({ k: "quiet" });
    r.snapshot();
    now += 30_000;
    c.inc({ k: "busy" });
    r.snapshot();
    now += 40_000;
    c.inc({ k: "busy" });
    const snap = r.snapshot();
    assert.deepEqual(
      snap.families[0].series.map((s) => s.labels.k),
      ["busy"],
    );
  });

  it("clear() empties the registry", () => {
    const r = createRegistry();
    r.counter({ name: "a_total", help: "" });
    r.clear();
    assert.equal(r.snapshot().families.length, 0);
    r.counter({ name: "a_total", help: "" });
  });

  it("snapshots are plain data that survive JSON and later changes", () => {
    const r = createRegistry();
    const c = r.counter({ name: "n_total", help: "N.", labelNames: ["a"] });
    c.inc({ a: "x" }, 2);
    const snap = r.snapshot();
    c.inc({ a: "x" }, 5);
    assert.equal(findValue(snap, "n_total", { a: "x" }), 2);
    const copy = JSON.parse(JSON.stringify(snap));
    assert.equal(copy.families[0].series[0].value, 2);
    assert.ok(
      snap.families[0].series[0].labels === r.snapshot().families[0].series[0].labels,
      "labels are shared",
    );
  });

  it("the error type carries a stable code and a component prefix", () => {
    const err = new HeadroomError(ErrorCode.InvalidName, "[metrics] x");
    assert.equal(err.code, "HR_INVALID_NAME");
    assert.ok(err instanceof Error);
  });
});
