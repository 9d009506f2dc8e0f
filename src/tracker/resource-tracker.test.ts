import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode, isHeadroomError } from "../errors.js";
import { createMemoryHistory } from "../history/memory-store.js";
import { createRegistry } from "../metrics/registry.js";
import { findValue } from "../metrics/snapshot.js";
import { ResourceTracker } from "./resource-tracker.js";
import type { Alert } from "./types.js";

const T0 = 1_700_000_000_000;

test("track, recordUsage and getStats: min, max, average, current, lastUpdated, count, percentiles", () => {
  const tracker = new ResourceTracker({ now: () => T0 });
  const h = tracker.track("database_connections", "connection");
  for (let i = 1; i <= 100; i++) tracker.recordUsage(h, i, T0 + i);
  const s = tracker.getStats("database_connections");
  assert.equal(s.type, "connection");
  assert.equal(s.min, 1);
  assert.equal(s.max, 100);
  assert.equal(s.average, 50.5);
  assert.equal(s.current, 100);
  assert.equal(s.lastUpdated, T0 + 100);
  assert.equal(s.count, 100);
  assert.deepEqual(s.percentiles, { p50: 50, p90: 90, p95: 95, p99: 99 });
  tracker.recordUsage(h, 3);
  assert.equal(
    tracker.getStats("database_connections").lastUpdated,
    T0 + 100,
    "an older default timestamp does not move lastUpdated back",
  );
});

test("every tracked resource is a gauge series in the registry, and its samples reach the history store", async () => {
  const registry = createRegistry();
  const history = createMemoryHistory({ now: () => T0 + 1e6 });
  const tracker = new ResourceTracker({ registry, history, now: () => T0 });
  const h = tracker.track("gpu_mem", "gpu");
  tracker.recordUsage(h, 40, T0 + 1000);
  tracker.recordUsage(h, 45, T0 + 2000);
  assert.equal(
    findValue(registry.snapshot(), "headroom_tracker_usage", { resource: "gpu_mem", type: "gpu" }),
    45,
  );
  const stored = await history.queryRange(
    { name: "headroom_tracker_samples", labels: { resource: "gpu_mem", type: "gpu" } },
    { startMs: T0, endMs: T0 + 2000 },
  );
  assert.deepEqual(stored, [
    { t: T0 + 1000, v: 40 },
    { t: T0 + 2000, v: 45 },
  ]);
  assert.deepEqual(await tracker.getUsageHistory("gpu_mem", { startMs: T0, endMs: T0 + 5000 }), stored);
});

test("non-finite values and stale handles are counted and dropped; untrack removes the gauge series", () => {
  const registry = createRegistry();
  const tracker = new ResourceTracker({ registry, now: () => T0 });
  const h = tracker.track("cache_bytes", "memory");
  tracker.recordUsage(h, Number.NaN);
  tracker.recordUsage(h, Number.POSITIVE_INFINITY);
  tracker.recordUsage(h, 10);
  assert.equal(tracker.droppedSamples, 2);
  assert.equal(tracker.getStats("cache_bytes").count, 1);
  assert.equal(tracker.untrack("cache_bytes"), true);
  assert.equal(tracker.untrack("cache_bytes"), false);
  tracker.recordUsage(h, 11);
  assert.equal(tracker.droppedSamples, 3);
  assert.equal(h.active, false);
  assert.equal(
    findValue(registry.snapshot(), "headroom_tracker_usage", { resource: "cache_bytes" }),
    undefined,
  );
  assert.throws(
    () => tracker.getStats("cache_bytes"),
    (e) => isHeadroomError(e, ErrorCode.NotFound),
  );
  assert.throws(
    () => tracker.track(""),
    (e) => isHeadroomError(e, ErrorCode.InvalidArgument),
  );
  const h2 = tracker.track("released");
  h2.release();
  tracker.recordUsage(h2, 1);
  assert.equal(tracker.droppedSamples, 4);
});

test("thresholds: direction, hysteresis and cooldown keep a hovering value from calling back on every sample", () => {
  const tracker = new ResourceTracker({ now: () => T0 });
  const alerts: Alert[] = [];
  tracker.setThreshold("memory_usage", 90, (a) => alerts.push(a), { hysteresis: 5, cooldownMs: 10_000 });
  const h = tracker.track("memory_usage", "memory");
  const at = (i: number) => T0 + i * 1000;
  [85, 91, 89, 92, 88, 93].forEach((v, i) => {
    tracker.recordUsage(h, v, at(i));
  });
  assert.equal(alerts.length, 1, "hovering between 88 and 93 fires once");
  assert.deepEqual(
    { ...alerts[0], message: undefined },
    {
      resourceName: "memory_usage",
      threshold: 90,
      currentValue: 91,
      timestamp: at(1),
      direction: "above",
      message: undefined,
    },
  );
  assert.match(alerts[0].message, /memory_usage is 91 \(above threshold 90\)/);
  tracker.recordUsage(h, 80, at(6)); // re-arms (below 85)
  tracker.recordUsage(h, 95, at(7)); // within the 10 s cooldown: suppressed
  assert.equal(alerts.length, 1);
  tracker.recordUsage(h, 80, at(20));
  tracker.recordUsage(h, 95, at(21));
  assert.equal(alerts.length, 2);

  const low: Alert[] = [];
  const remove = tracker.setThreshold("memory_usage", 10, (a) => low.push(a), {
    direction: "below",
    cooldownMs: 0,
  });
  tracker.recordUsage(h, 5, at(30));
  assert.equal(low.length, 1);
  assert.equal(low[0].direction, "below");
  remove();
  tracker.recordUsage(h, 50, at(31));
  tracker.recordUsage(h, 5, at(32));
  assert.equal(low.length, 1, "removed thresholds stay quiet");

  tracker.setThreshold("memory_usage", 0, () => {
    throw new Error("callback bug");
  });
  assert.doesNotThrow(() => tracker.recordUsage(h, 7, at(40)));
  assert.throws(
    () => tracker.setThreshold("x", Number.NaN, () => {}),
    (e) => isHeadroomError(e, ErrorCode.InvalidArgument),
  );
});

test("generateReport: TEXT, JSON and CSV (quoting names with commas and quotes); unknown formats are HR_INVALID_ARGUMENT", () => {
  const tracker = new ResourceTracker({ now: () => T0 });
  const tricky = 'pool "main", shard 1';
  tracker.recordUsage(tracker.track(tricky, "conn"), 3, T0);
  tracker.recordUsage(tracker.track("cpu", "cpu"), 42.5, T0);
  const text = tracker.generateReport();
  assert.match(text, /^Resource report/);
  assert.match(text, /cpu\s+cpu\s+42\.5/);
  const json = JSON.parse(tracker.generateReport("JSON"));
  assert.equal(json.resources.length, 2);
  assert.equal(json.resources[1].name, tricky);
  assert.equal(json.resources[0].lastUpdated, new Date(T0).toISOString());
  const csv = tracker.generateReport("CSV");
  const lines = csv.trimEnd().split("\r\n");
  assert.equal(lines[0], "name,type,current,min,max,average,count,p50,p90,p99,lastUpdated");
  assert.ok(lines[2].startsWith('"pool ""main"", shard 1",conn,3,3,3,3,1,'), lines[2]);
  assert.equal(tracker.generateReport("csv"), csv);
  assert.throws(
    () => tracker.generateReport("XML"),
    (e) => isHeadroomError(e, ErrorCode.InvalidArgument) && /XML/.test((e as Error).message),
  );
});
