import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runHistoryStoreConformance } from "./conformance.js";
import { openSqliteHistory } from "./sqlite-store.js";

const dir = mkdtempSync(join(tmpdir(), "headroom-history-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => join(dir, `h${n++}.db`);

runHistoryStoreConformance("sqlite", (o) =>
  openSqliteHistory({ path: file(), now: o.now, retention: o.retentionMs ?? "7d", flushIntervalMs: 0 }),
);
runHistoryStoreConformance("sqlite with 16-sample chunks", (o) =>
  openSqliteHistory({
    path: file(),
    now: o.now,
    retention: o.retentionMs ?? "7d",
    flushIntervalMs: 0,
    chunkSamples: 16,
  }),
);

test("sqlite: data survives close and reopen (sealed chunks, head and rollups)", async () => {
  const path = file();
  const t0 = 1_700_000_000_000;
  const now = () => t0 + 10_000_000;
  const a = openSqliteHistory({ path, now, flushIntervalMs: 0, chunkSamples: 64 });
  const s = a.series("reopen_total", { cpu: "0" });
  for (let i = 0; i < 1000; i++) a.append(s, t0 + i * 1000, i * 2);
  await a.close();
  const b = openSqliteHistory({ path, now, flushIntervalMs: 0, chunkSamples: 64 });
  const got = await b.queryRange(
    { name: "reopen_total", labels: { cpu: "0" } },
    { startMs: t0, endMs: now() },
  );
  assert.equal(got.length, 1000);
  assert.deepEqual(got[999], { t: t0 + 999_000, v: 1998 });
  const h = b.series("reopen_total", { cpu: "0" });
  assert.equal(b.append(h, t0 + 999_000, 1), false, "last timestamp remembered across reopen");
  assert.equal(b.append(h, t0 + 1_000_000, 2000), true);
  const steps = await b.queryStep(
    { name: "reopen_total", labels: { cpu: "0" } },
    { startMs: t0, endMs: now(), stepMs: 60_000 },
  );
  assert.equal(
    steps.reduce((acc, p) => acc + p.count, 0),
    1001,
  );
  assert.equal(b.diskUsage().chunkSamples, 960);
  await b.close();
});

test("sqlite: series written by the same ticks share one stored timestamp column per chunk", async () => {
  const path = file();
  const t0 = 1_700_000_000_000;
  const store = openSqliteHistory({ path, now: () => t0 + 1e9, flushIntervalMs: 0, chunkSamples: 32 });
  const handles = Array.from({ length: 20 }, (_, i) => store.series("shared_ts", { i: String(i) }));
  for (let k = 0; k < 96; k++)
    for (const [i, h] of handles.entries()) store.append(h, t0 + k * 1000 + (k % 3), i * k);
  await store.close();
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(path, { readonly: true });
  assert.equal((db.prepare("SELECT count(*) AS c FROM chunks").get() as { c: number }).c, 60);
  assert.equal((db.prepare("SELECT count(*) AS c FROM timestamps").get() as { c: number }).c, 3);
  db.close();
  const again = openSqliteHistory({ path, now: () => t0 + 1e9, flushIntervalMs: 0, chunkSamples: 32 });
  const got = await again.queryRange(
    { name: "shared_ts", labels: { i: "7" } },
    { startMs: t0, endMs: t0 + 1e6 },
  );
  assert.equal(got.length, 96);
  assert.deepEqual(got[95], { t: t0 + 95_000 + 2, v: 7 * 95 });
  await again.close();
});

test("sqlite: tiers answer step and chart queries once raw data has aged out, each with its own retention", async () => {
  const DAY = 86_400_000;
  const t0 = Date.UTC(2026, 0, 1);
  const now = () => t0 + 3 * DAY;
  const store = openSqliteHistory({
    path: file(),
    now,
    flushIntervalMs: 0,
    chunkSamples: 60,
    retention: "1d",
    tiers: [
      { resolution: "1m", retention: "2d" },
      { resolution: "1h", retention: "30d" },
    ],
  });
  const s = store.series("aging_gauge");
  for (let m = 0; m < 3 * 24 * 60; m++) store.append(s, t0 + m * 60_000 + 7, m === 100 ? 1e6 : m % 60);
  await store.flush();
  await store.applyRetention(now());
  const sel = { name: "aging_gauge" };
  const whole = { startMs: t0, endMs: now() - 1 };
  assert.deepEqual(
    await store.queryRange(sel, { startMs: t0, endMs: t0 + DAY }),
    [],
    "raw older than 1d is gone",
  );
  assert.equal((await store.queryRange(sel, { startMs: now() - DAY, endMs: now() })).length, 24 * 60);
  const hourly = await store.queryStep(sel, { ...whole, stepMs: 3_600_000 });
  assert.equal(hourly.length, 72, "the 1h tier still holds all three days");
  assert.ok(hourly.every((p) => p.count === 60));
  assert.equal(hourly[1].max, 1e6);
  const perMinute = await store.queryStep(sel, {
    startMs: now() - 2 * DAY + 60_000,
    endMs: now() - 1,
    stepMs: 60_000,
  });
  assert.equal(perMinute.length, 2 * 24 * 60 - 1);
  const chart = await store.queryDownsampled(sel, { ...whole, maxPoints: 20 });
  assert.ok(chart.length <= 20 && chart.length > 0);
  assert.ok(
    chart.some((p) => p.v === 1e6),
    "the spike survives in the tier",
  );
  await store.close();
});
