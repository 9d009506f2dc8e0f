/**
 * The one conformance suite every HistoryStore runs. An implementation's test file calls
 * `runHistoryStoreConformance("sqlite", (opts) => openSqliteHistory({ ... }))`, which registers
 * node:test tests. Each test opens a fresh store through `open` and closes it at the end.
 *
 * Time: all samples lie in the six hours before `options.now()` (a clock the store should use
 * for its "too far in the future" check and retention), so a store backed by a real server
 * with the wall clock passes too.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ErrorCode, isHeadroomError } from "../errors.js";
import type { MetricsSnapshot } from "../metrics/snapshot.js";
import type { HistoryStore } from "./history-store.js";

export interface ConformanceOpenOptions {
  /** The clock the store should use (ms since epoch). */
  now: () => number;
  /** Raw retention the store should apply in `applyRetention`, when the case needs one. */
  retentionMs?: number;
}

export type ConformanceFeature = "retention" | "badInput";

export interface ConformanceOptions {
  /** Features the back-end cannot offer (a read-through remote store may not do retention). */
  without?: readonly ConformanceFeature[];
}

const HOUR = 3_600_000;

export function runHistoryStoreConformance(
  name: string,
  open: (options: ConformanceOpenOptions) => Promise<HistoryStore> | HistoryStore,
  options: ConformanceOptions = {},
): void {
  const nowMs = Math.floor(Date.now() / HOUR) * HOUR;
  const base = nowMs - 6 * HOUR;
  const now = () => nowMs;
  const without = new Set(options.without ?? []);

  async function withStore(fn: (store: HistoryStore) => Promise<void>, retentionMs?: number): Promise<void> {
    const store = await open({ now, retentionMs });
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  }

  describe(`HistoryStore conformance: ${name}`, () => {
    test("appends and reads back a raw range, inclusive at both ends, oldest first", () =>
      withStore(async (store) => {
        const s = store.series("test_gauge", { host: "a" });
        for (let i = 0; i < 100; i++) assert.equal(store.append(s, base + i * 1000, i * 1.5), true);
        await store.flush();
        const all = await store.queryRange(
          { name: "test_gauge", labels: { host: "a" } },
          { startMs: base, endMs: base + 99_000 },
        );
        assert.equal(all.length, 100);
        assert.deepEqual(all[0], { t: base, v: 0 });
        assert.deepEqual(all[99], { t: base + 99_000, v: 148.5 });
        const part = await store.queryRange(
          { name: "test_gauge", labels: { host: "a" } },
          { startMs: base + 10_000, endMs: base + 19_000 },
        );
        assert.deepEqual(
          part.map((p) => p.v),
          [10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map((i) => i * 1.5),
        );
        assert.equal(store.stats().accepted >= 100, true);
      }));

    test("series identity is the name plus labels in any order; different labels are different series", () =>
      withStore(async (store) => {
        const a = store.series("test_ident", { b: "2", a: "1" });
        const b = store.series("test_ident", { a: "1", b: "2" });
        const c = store.series("test_ident", { a: "1", b: "3" });
        assert.equal(a.key, b.key);
        assert.notEqual(a.key, c.key);
        store.append(a, base, 1);
        store.append(b, base + 1000, 2);
        store.append(c, base, 3);
        await store.flush();
        const got = await store.queryRange(
          { name: "test_ident", labels: { a: "1", b: "2" } },
          { startMs: base, endMs: base + 1000 },
        );
        assert.deepEqual(
          got.map((p) => p.v),
          [1, 2],
        );
        const list = await store.listSeries({ name: "test_ident" });
        assert.equal(list.length, 2);
        assert.deepEqual(
          (await store.listSeries({ name: "test_ident", labels: { b: "3" } })).map((x) => x.labels),
          [{ a: "1", b: "3" }],
        );
        assert.deepEqual(
          await store.queryRange(
            { name: "test_ident", labels: { a: "9" } },
            { startMs: base, endMs: base + 1000 },
          ),
          [],
        );
      }));

    test("appendSnapshot stores counters, gauges and histograms (as _bucket/_sum/_count)", () =>
      withStore(async (store) => {
        const snap = (t: number, k: number): MetricsSnapshot => ({
          timestampMs: t,
          families: [
            {
              name: "node_cpu_seconds_total",
              help: "",
              unit: "",
              labelNames: ["cpu", "mode"],
              type: "counter",
              series: [
                { labels: { cpu: "0", mode: "idle" }, value: 100 + k },
                { labels: { cpu: "0", mode: "user" }, value: 5 + k },
              ],
            },
            {
              name: "node_load1",
              help: "",
              unit: "",
              labelNames: [],
              type: "gauge",
              series: [{ labels: {}, value: 0.5 * k }],
            },
            {
              name: "req_seconds",
              help: "",
              unit: "",
              labelNames: ["route"],
              type: "histogram",
              buckets: [0.1, 1],
              series: [{ labels: { route: "/" }, counts: [k, 2 * k, 3 * k], sum: 1.5 * k, count: 3 * k }],
            },
          ],
        });
        const r1 = store.appendSnapshot(snap(base, 1));
        const r2 = store.appendSnapshot(snap(base + 1000, 2));
        assert.equal(r1.accepted, 2 + 1 + 3 + 2);
        assert.equal(r2.rejected, 0);
        await store.flush();
        const range = { startMs: base, endMs: base + 1000 };
        assert.deepEqual(
          (
            await store.queryRange(
              { name: "node_cpu_seconds_total", labels: { mode: "idle", cpu: "0" } },
              range,
            )
          ).map((p) => p.v),
          [101, 102],
        );
        assert.deepEqual(
          (await store.queryRange({ name: "node_load1" }, range)).map((p) => p.v),
          [0.5, 1],
        );
        assert.deepEqual(
          (
            await store.queryRange({ name: "req_seconds_bucket", labels: { route: "/", le: "+Inf" } }, range)
          ).map((p) => p.v),
          [3, 6],
        );
        assert.deepEqual(
          (
            await store.queryRange({ name: "req_seconds_bucket", labels: { route: "/", le: "0.1" } }, range)
          ).map((p) => p.v),
          [1, 2],
        );
        assert.deepEqual(
          (await store.queryRange({ name: "req_seconds_sum", labels: { route: "/" } }, range)).map(
            (p) => p.v,
          ),
          [1.5, 3],
        );
        assert.deepEqual(
          (await store.queryRange({ name: "req_seconds_count", labels: { route: "/" } }, range)).map(
            (p) => p.v,
          ),
          [3, 6],
        );
        assert.equal((await store.listSeries()).length, 2 + 1 + 3 + 2);
      }));

    test("queryStep aggregates count, sum, min, max and last per bucket", () =>
      withStore(async (store) => {
        const s = store.series("test_step");
        for (let i = 0; i < 120; i++) store.append(s, base + i * 1000, i % 60);
        await store.flush();
        const pts = await store.queryStep(
          { name: "test_step" },
          { startMs: base, endMs: base + 119_999, stepMs: 60_000 },
        );
        assert.equal(pts.length, 2);
        for (const p of pts) {
          assert.equal(p.count, 60);
          assert.equal(p.min, 0);
          assert.equal(p.max, 59);
          assert.equal(p.sum, (59 * 60) / 2);
          assert.equal(p.last, 59);
        }
        assert.equal(pts[0].t, base);
        assert.equal(pts[1].t, base + 60_000);
      }));

    test("queryDownsampled returns at most maxPoints and keeps a one-sample spike and dip", () =>
      withStore(async (store) => {
        const s = store.series("test_down");
        for (let i = 0; i < 3600; i++)
          store.append(s, base + i * 1000, i === 1234 ? 1000 : i === 2345 ? -1000 : 10 + (i % 7));
        await store.flush();
        const pts = await store.queryDownsampled(
          { name: "test_down" },
          { startMs: base, endMs: base + 3_599_000, maxPoints: 100 },
        );
        assert.ok(pts.length <= 100 && pts.length >= 50, `got ${pts.length} points`);
        assert.ok(
          pts.some((p) => p.v === 1000 && p.t === base + 1_234_000),
          "spike kept",
        );
        assert.ok(
          pts.some((p) => p.v === -1000),
          "dip kept",
        );
        for (let i = 1; i < pts.length; i++) assert.ok(pts[i].t > pts[i - 1].t, "time order");
        const few = await store.queryDownsampled(
          { name: "test_down" },
          { startMs: base, endMs: base + 9000, maxPoints: 100 },
        );
        assert.equal(few.length, 10);
      }));

    test("rate of a counter handles a reset; latest returns the newest sample", () =>
      withStore(async (store) => {
        const s = store.series("test_total");
        // +10/s for 10 s, a reset (100 -> 5 counts as +5), then +10/s for 9 s: 195 over 20 s.
        const values = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 5, 15, 25, 35, 45, 55, 65, 75, 85, 95];
        values.forEach((v, i) => {
          store.append(s, base + i * 1000, v);
        });
        await store.flush();
        const r = await store.rate({ name: "test_total" }, { startMs: base, endMs: base + 20_000 });
        assert.ok(r !== undefined);
        assert.ok(Math.abs(r - 195 / 20) < 1e-9, `rate ${r}`);
        assert.equal(await store.rate({ name: "test_total" }, { startMs: base, endMs: base }), undefined);
        assert.deepEqual(await store.latest({ name: "test_total" }), { t: base + 20_000, v: 95 });
        assert.equal(await store.latest({ name: "test_missing" }), undefined);
      }));

    if (!without.has("badInput")) {
      test("non-finite, out-of-order, duplicate and far-future samples are counted and skipped", () =>
        withStore(async (store) => {
          const s = store.series("test_bad");
          assert.equal(store.append(s, base + 5000, 1), true);
          assert.equal(store.append(s, base + 6000, Number.NaN), false);
          assert.equal(store.append(s, base + 7000, Number.POSITIVE_INFINITY), false);
          assert.equal(store.append(s, base + 4000, 2), false);
          assert.equal(store.append(s, base + 5000, 3), false);
          assert.equal(store.append(s, now() + 24 * HOUR, 4), false);
          assert.equal(store.append(s, Number.NaN, 4), false);
          assert.equal(store.append(s, base + 8000, 5), true);
          await store.flush();
          const got = await store.queryRange({ name: "test_bad" }, { startMs: 0, endMs: now() + 48 * HOUR });
          assert.deepEqual(got, [
            { t: base + 5000, v: 1 },
            { t: base + 8000, v: 5 },
          ]);
          const rej = store.stats().rejected;
          assert.equal(rej.nonFinite, 3);
          assert.equal(rej.outOfOrder, 2);
          assert.equal(rej.future, 1);
        }));

      test("a series with thousands of labels or a bad name is a typed error; in a snapshot it is counted", () =>
        withStore(async (store) => {
          const labels: Record<string, string> = {};
          for (let i = 0; i < 3000; i++) labels[`l${i}`] = "x";
          assert.throws(
            () => store.series("test_wide", labels),
            (e) => isHeadroomError(e, ErrorCode.InvalidLabel),
          );
          assert.throws(
            () => store.series("bad name!"),
            (e) => isHeadroomError(e, ErrorCode.InvalidName),
          );
          const res = store.appendSnapshot({
            timestampMs: base,
            families: [
              {
                name: "test_wide",
                help: "",
                unit: "",
                labelNames: Object.keys(labels),
                type: "gauge",
                series: [{ labels, value: 1 }],
              },
              {
                name: "test_ok",
                help: "",
                unit: "",
                labelNames: [],
                type: "gauge",
                series: [{ labels: {}, value: 2 }],
              },
            ],
          });
          assert.deepEqual(res, { accepted: 1, rejected: 1 });
          assert.equal(store.stats().rejected.invalidSeries, 1);
          await store.flush();
          assert.deepEqual(await store.latest({ name: "test_ok" }), { t: base, v: 2 });
        }));

      test("an inverted or non-finite query range is HR_INVALID_ARGUMENT", () =>
        withStore(async (store) => {
          const sel = { name: "test_any" };
          const bad = { startMs: base + 1000, endMs: base };
          const isArg = (e: unknown) => isHeadroomError(e, ErrorCode.InvalidArgument);
          await assert.rejects(() => store.queryRange(sel, bad), isArg);
          await assert.rejects(() => store.queryStep(sel, { ...bad, stepMs: 1000 }), isArg);
          await assert.rejects(
            () => store.queryStep(sel, { startMs: base, endMs: base + 1, stepMs: 0 }),
            isArg,
          );
          await assert.rejects(() => store.queryDownsampled(sel, { ...bad, maxPoints: 10 }), isArg);
          await assert.rejects(
            () => store.queryDownsampled(sel, { startMs: base, endMs: base + 1, maxPoints: 1 }),
            isArg,
          );
          await assert.rejects(() => store.rate(sel, bad), isArg);
          await assert.rejects(() => store.queryRange(sel, { startMs: Number.NaN, endMs: base }), isArg);
        }));
    }

    if (!without.has("retention")) {
      test("applyRetention drops raw samples older than the retention and keeps newer ones", () =>
        withStore(async (store) => {
          const s = store.series("test_ret");
          for (let i = 0; i < 6 * 60; i++) store.append(s, base + i * 60_000, i);
          await store.flush();
          const res = await store.applyRetention(now());
          assert.ok(res.removedSamples > 0);
          const got = await store.queryRange({ name: "test_ret" }, { startMs: 0, endMs: now() });
          assert.ok(got.length > 0);
          assert.ok(got[0].t >= now() - 2 * HOUR - 15 * 60_000, `oldest ${now() - got[0].t} ms ago`);
          assert.equal(got[got.length - 1].v, 359);
          assert.deepEqual(await store.latest({ name: "test_ret" }), { t: base + 359 * 60_000, v: 359 });
        }, 2 * HOUR));
    }
  });
}
