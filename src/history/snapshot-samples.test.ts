import assert from "node:assert/strict";
import { test } from "node:test";
import { Registry } from "../metrics/registry.js";
import { createMemoryHistory } from "./memory-store.js";

test("appendSnapshot stores histograms as _bucket/_sum/_count and summaries by quantile", async () => {
  const registry = new Registry();
  registry.gauge({ name: "temp_celsius", help: "h", labelNames: ["zone"] }).set({ zone: "a" }, 41);
  registry.histogram({ name: "lat_seconds", help: "h", buckets: [0.1, 1] }).observe(0.5);
  registry.summary({ name: "size_bytes", help: "h", percentiles: [0.5] }).observe(10);
  const history = createMemoryHistory();
  const snapshot = { ...registry.snapshot(), timestampMs: 1000 };
  assert.deepEqual(history.appendSnapshot(snapshot), { accepted: 9, rejected: 0 });
  // The second tick reuses the cached handles and lands on the same series.
  assert.deepEqual(history.appendSnapshot({ ...snapshot, timestampMs: 2000 }), { accepted: 9, rejected: 0 });

  const latest = async (name: string, labels = {}) => (await history.latest({ name, labels }))?.v;
  assert.equal(await latest("temp_celsius", { zone: "a" }), 41);
  assert.equal(await latest("lat_seconds_bucket", { le: "0.1" }), 0);
  assert.equal(await latest("lat_seconds_bucket", { le: "1" }), 1);
  assert.equal(await latest("lat_seconds_bucket", { le: "+Inf" }), 1);
  assert.equal(await latest("lat_seconds_sum"), 0.5);
  assert.equal(await latest("lat_seconds_count"), 1);
  const median = await latest("size_bytes", { quantile: "0.5" });
  assert.ok(median !== undefined && Math.abs(median - 10) < 0.5, `median ${median}`); // a sketch estimate
  assert.equal(await latest("size_bytes_count"), 1);
  assert.equal((await history.listSeries()).length, 9);
  await history.close();
});
