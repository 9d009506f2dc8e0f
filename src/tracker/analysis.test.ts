import assert from "node:assert/strict";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createMemoryHistory } from "../history/memory-store.js";
import { ResourceTracker } from "./resource-tracker.js";
import type { HandleLeak } from "./types.js";

const T0 = Date.UTC(2026, 10, 1);
const MIN = 60_000;

/** Deterministic noise in [-1, 1). */
function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  };
}

test("leak suspects: steady growth under noise and a GC sawtooth is named with its growth per hour; flat sawtooth and noise are not", () => {
  const tracker = new ResourceTracker({ now: () => T0, windowSamples: 720 });
  const leaking = tracker.track("heap_leaky", "memory");
  const sawtooth = tracker.track("heap_sawtooth", "memory");
  const noisy = tracker.track("noisy_queue", "queue");
  const rnd = noise(7);
  for (let i = 0; i < 720; i++) {
    const t = T0 + i * 5000; // one hour at 5 s
    const gc = (i % 40) * 2e6; // 80 MB sawtooth every 200 s
    tracker.recordUsage(leaking, 500e6 + gc + i * 5000 * (50e6 / 3_600_000) + rnd() * 5e6, t); // +50 MB/h
    tracker.recordUsage(sawtooth, 500e6 + gc + rnd() * 5e6, t);
    tracker.recordUsage(noisy, 100 + rnd() * 50, t);
  }
  const suspects = tracker.findLeakSuspects();
  assert.deepEqual(
    suspects.map((s) => s.name),
    ["heap_leaky"],
  );
  const s = suspects[0];
  assert.ok(Math.abs(s.growthPerHour - 50e6) < 10e6, `growth ${s.growthPerHour / 1e6} MB/h`);
  assert.ok(s.confidence > 0.99);
  assert.ok(s.fit >= 0 && s.fit <= 1);
  assert.equal(s.samples, 720);
  assert.deepEqual(tracker.findLeakSuspects({ minGrowthPerHour: 100e6 }), []);
  // The window must span several GC cycles for a sawtooth to read as flat.
  assert.deepEqual(
    tracker.findLeakSuspects({ windowMs: 60 * MIN }).map((x) => x.name),
    ["heap_leaky"],
  );
});

test("historical analysis: busiest and quietest hours and the trend over stored history", async () => {
  const history = createMemoryHistory({ maxSamplesPerSeries: 10_000, now: () => T0 + 10 * 86_400_000 });
  const tracker = new ResourceTracker({ history, now: () => T0 });
  const h = tracker.track("requests_in_flight", "custom");
  for (let day = 0; day < 3; day++) {
    for (let m = 0; m < 24 * 60; m += 10) {
      const hour = Math.floor(m / 60);
      const level = hour === 14 ? 100 : hour === 3 ? 5 : 40;
      tracker.recordUsage(h, level + day, T0 + day * 86_400_000 + m * MIN);
    }
  }
  const p = await tracker.analyzePatterns("requests_in_flight", { startMs: T0, endMs: T0 + 3 * 86_400_000 });
  assert.equal(p.busiestHour, 14);
  assert.equal(p.quietestHour, 3);
  assert.equal(p.hours.length, 24);
  assert.equal(p.peak, 102);
  assert.equal(p.samples, 3 * 24 * 6);
  assert.ok(p.trendPerHour > 0 && p.trendPerHour < 0.1, `trend ${p.trendPerHour}`);
  const chart = await tracker.getUsageHistory("requests_in_flight", {
    startMs: T0,
    endMs: T0 + 3 * 86_400_000,
    maxPoints: 100,
  });
  assert.ok(chart.length <= 100);
  assert.ok(chart.some((pt) => pt.v === 102));

  const local = new ResourceTracker({ now: () => T0 });
  const lh = local.track("local");
  for (let i = 0; i < 48; i++) local.recordUsage(lh, i % 24 === 9 ? 10 : 1, T0 + i * 3_600_000);
  const lp = await local.analyzePatterns("local", { startMs: T0, endMs: T0 + 48 * 3_600_000 });
  assert.equal(lp.busiestHour, 9);
});

test("a handle collected without release() is reported as a leaked handle (after a major GC)", async () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const leaks: HandleLeak[] = [];
  const tracker = new ResourceTracker({ now: () => T0, onHandleLeak: (l) => leaks.push(l) });
  (() => {
    tracker.track("socket_pool", "connection");
    const kept = tracker.track("file_handles", "fd");
    kept.release();
  })();
  for (let i = 0; i < 20 && leaks.length === 0; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.deepEqual(
    leaks.map((l) => l.name),
    ["socket_pool"],
  );
  assert.deepEqual(tracker.getHandleLeaks(), leaks);
});
