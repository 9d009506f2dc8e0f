import assert from "node:assert/strict";
import { test } from "node:test";
import { runHistoryStoreConformance } from "./conformance.js";
import { createMemoryHistory } from "./memory-store.js";

runHistoryStoreConformance("memory", (o) => createMemoryHistory({ now: o.now, retentionMs: o.retentionMs }));

test("memory ring keeps the newest maxSamplesPerSeries samples", async () => {
  const store = createMemoryHistory({ maxSamplesPerSeries: 10, now: () => 1e6 });
  const s = store.series("ring_test");
  for (let i = 1; i <= 25; i++) store.append(s, i * 1000, i);
  const got = await store.queryRange({ name: "ring_test" }, { startMs: 0, endMs: 1e6 });
  assert.deepEqual(
    got.map((p) => p.v),
    [16, 17, 18, 19, 20, 21, 22, 23, 24, 25],
  );
  assert.deepEqual(await store.latest({ name: "ring_test" }), { t: 25_000, v: 25 });
});

test("a handle from another store is counted as an invalid series, not stored", () => {
  const a = createMemoryHistory();
  const b = createMemoryHistory();
  b.series("x_other");
  const h = b.series("y_other");
  assert.equal(a.append(h, Date.now(), 1), false);
  assert.equal(a.stats().rejected.invalidSeries, 1);
});
