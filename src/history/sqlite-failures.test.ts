import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { ErrorCode, isHeadroomError } from "../errors.js";
import { SCHEMA_VERSION } from "./sqlite-schema.js";
import { openSqliteHistory } from "./sqlite-store.js";

const dir = mkdtempSync(join(tmpdir(), "headroom-history-fail-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => join(dir, `f${n++}.db`);
const t0 = 1_700_000_000_000;
const now = () => t0 + 100_000_000;

test("a corrupted chunk blob is counted and skipped; the other chunks and the blob itself stay", async () => {
  const path = file();
  const a = openSqliteHistory({ path, now, flushIntervalMs: 0, chunkSamples: 10 });
  const s = a.series("corrupt_gauge");
  for (let i = 0; i < 35; i++) a.append(s, t0 + i * 1000, i);
  await a.close();
  const raw = new Database(path);
  const row = raw.prepare("SELECT id, data FROM chunks ORDER BY start_t LIMIT 1 OFFSET 1").get() as {
    id: number;
    data: Buffer;
  };
  const bad = Buffer.from(row.data);
  bad[bad.length >> 1] ^= 0xff;
  raw.prepare("UPDATE chunks SET data = ? WHERE id = ?").run(bad, row.id);
  raw.close();
  const b = openSqliteHistory({ path, now, flushIntervalMs: 0, chunkSamples: 10 });
  const got = await b.queryRange({ name: "corrupt_gauge" }, { startMs: t0, endMs: now() });
  assert.deepEqual(
    got.map((p) => p.v),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...Array.from({ length: 15 }, (_, i) => 20 + i)],
  );
  assert.equal(b.stats().rejected.corruptChunks, 1);
  await b.applyRetention(now());
  await b.close();
  const check = new Database(path, { readonly: true });
  assert.equal(
    (check.prepare("SELECT count(*) AS c FROM chunks").get() as { c: number }).c,
    3,
    "damaged chunk kept",
  );
  check.close();
});

test("a full disk degrades to memory: flush rejects with HR_STORAGE, samples stay queryable, nothing stored is lost", async () => {
  const path = file();
  const errors: unknown[] = [];
  const store = openSqliteHistory({
    path,
    now,
    flushIntervalMs: 0,
    chunkSamples: 64,
    maxBytes: 64 * 1024,
    onError: (e) => errors.push(e),
  });
  const handles = Array.from({ length: 50 }, (_, i) => store.series("full_disk_gauge", { i: String(i) }));
  let failure: unknown;
  let t = t0;
  for (let round = 0; round < 400 && failure === undefined; round++) {
    for (let k = 0; k < 64; k++) {
      t += 1000;
      for (let i = 0; i < handles.length; i++) store.append(handles[i], t, Math.random() * i);
    }
    await store.flush().catch((e) => {
      failure = e;
    });
  }
  assert.ok(isHeadroomError(failure, ErrorCode.Storage), String(failure));
  assert.match((failure as Error).message, /^\[history:sqlite\] cannot write .*SQLITE_FULL.*memory/);
  assert.match(store.stats().degraded ?? "", /SQLITE_FULL/);
  const h = handles[7];
  assert.equal(store.append(h, t + 1000, 42), true, "still accepting samples");
  assert.deepEqual(await store.latest({ name: "full_disk_gauge", labels: { i: "7" } }), {
    t: t + 1000,
    v: 42,
  });
  const count = (
    await store.queryRange({ name: "full_disk_gauge", labels: { i: "7" } }, { startMs: t0, endMs: t + 1000 })
  ).length;
  assert.ok(count > 64, `only ${count} samples visible`);
  await assert.rejects(
    () => store.close(),
    (e) => isHeadroomError(e, ErrorCode.Storage),
  );
  const check = new Database(path, { readonly: true });
  assert.equal(check.pragma("integrity_check", { simple: true }) as string, "ok");
  check.close();
});

test("a read-only database keeps monitoring in memory and says so", async () => {
  const path = file();
  const w = openSqliteHistory({ path, now, flushIntervalMs: 0 });
  w.append(w.series("ro_gauge"), t0, 1);
  await w.close();
  const r = openSqliteHistory({ path, now, flushIntervalMs: 0, readOnly: true });
  assert.match(r.stats().degraded ?? "", /read-only/);
  const s = r.series("ro_gauge");
  assert.equal(r.append(s, t0 + 1000, 2), true);
  await assert.rejects(
    () => r.flush(),
    (e) => isHeadroomError(e, ErrorCode.Storage) && /READONLY/.test((e as Error).message),
  );
  assert.deepEqual(
    (await r.queryRange({ name: "ro_gauge" }, { startMs: t0, endMs: t0 + 1000 })).map((p) => p.v),
    [1, 2],
  );
  await r.close().catch(() => undefined);
});

test("a file from a newer release is refused with HR_STORAGE; a missing directory is HR_STORAGE", () => {
  const path = file();
  const raw = new Database(path);
  raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  raw.close();
  assert.throws(
    () => openSqliteHistory({ path, flushIntervalMs: 0 }),
    (e) => isHeadroomError(e, ErrorCode.Storage) && /schema version/.test((e as Error).message),
  );
  assert.throws(
    () => openSqliteHistory({ path: join(dir, "no/such/dir/x.db"), flushIntervalMs: 0 }),
    (e) => isHeadroomError(e, ErrorCode.Storage),
  );
});

test("bad options are HR_CONFIG naming the key", () => {
  const isConfig = (e: unknown) => isHeadroomError(e, ErrorCode.Config);
  assert.throws(() => openSqliteHistory({ path: ":memory:", retention: "thirty days" }), isConfig);
  assert.throws(
    () =>
      openSqliteHistory({
        path: ":memory:",
        tiers: [
          { resolution: "1m", retention: "1d" },
          { resolution: "90s", retention: "1d" },
        ],
      }),
    isConfig,
  );
  assert.throws(() => openSqliteHistory({ path: ":memory:", chunkSamples: 1 }), isConfig);
});

test("today's schema-1 file (test/fixtures/history/schema-v1.db) opens and reads back", async () => {
  const path = file();
  copyFileSync(new URL("../../test/fixtures/history/schema-v1.db", import.meta.url), path);
  const store = openSqliteHistory({
    path,
    flushIntervalMs: 0,
    now: () => 1_800_000_000_000,
    retention: "3650d",
  });
  const got = await store.queryRange(
    { name: "fixture_total", labels: { host: "a" } },
    { startMs: 0, endMs: 1_800_000_000_000 },
  );
  assert.equal(got.length, 300);
  assert.deepEqual(got[0], { t: 1_700_000_000_000, v: 0 });
  assert.deepEqual(got[299], { t: 1_700_000_000_000 + 299_000, v: 2990.5 });
  await store.close();
});

test("a damaged head-log row is counted; the store still opens with its sealed data", async () => {
  const path = file();
  const a = openSqliteHistory({ path, now, flushIntervalMs: 0, chunkSamples: 10 });
  const s = a.series("log_gauge");
  for (let i = 0; i < 15; i++) a.append(s, t0 + i * 1000, i);
  await a.flush();
  const raw = new Database(path);
  const row = raw.prepare("SELECT seq, data FROM head_log ORDER BY seq DESC LIMIT 1").get() as {
    seq: number;
    data: Buffer;
  };
  const bad = Buffer.from(row.data);
  bad[bad.length - 6] ^= 0x55;
  raw.prepare("UPDATE head_log SET data = ? WHERE seq = ?").run(bad, row.seq);
  raw.close();
  // Simulate a crash: reopen without closing the first store.
  const b = openSqliteHistory({ path, now, flushIntervalMs: 0, chunkSamples: 10 });
  assert.equal(b.stats().rejected.corruptChunks, 1);
  const got = await b.queryRange({ name: "log_gauge" }, { startMs: t0, endMs: now() });
  assert.deepEqual(
    got.map((p) => p.v),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    "sealed chunk intact",
  );
  await b.close();
  await a.close().catch(() => undefined);
});

test("head-log rows round-trip and reject truncation", async () => {
  const { decodeLog, encodeLog } = await import("./sqlite-series.js");
  const blob = encodeLog([
    { seriesId: 3, ts: [1, 2, 3], vs: [0.5, -1, 1e300] },
    { seriesId: 9, ts: [7], vs: [42] },
  ]);
  const back = decodeLog(blob);
  assert.deepEqual(
    back.map((r) => [r.seriesId, Array.from(r.ts), Array.from(r.vs)]),
    [
      [3, [1, 2, 3], [0.5, -1, 1e300]],
      [9, [7], [42]],
    ],
  );
  assert.throws(
    () => decodeLog(blob.slice(0, blob.length - 9)),
    (e) => isHeadroomError(e, ErrorCode.Storage),
  );
  assert.throws(
    () => decodeLog(new Uint8Array(3)),
    (e) => isHeadroomError(e, ErrorCode.Storage),
  );
});
