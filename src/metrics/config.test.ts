import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ErrorCode, isHeadroomError } from "../errors.js";
import { createInMemoryBackend } from "./backend.js";
import { loadMetricsConfig } from "./config.js";
import { EngineMetrics } from "./engine-metrics.js";
import { mergeSnapshots } from "./merge.js";
import { createRegistry } from "./registry.js";
import { findValue, type HistogramFamily } from "./snapshot.js";

const config = JSON.stringify({
  metrics: {
    frames: { namespace: "engine", name: "frames_total", description: "Frames.", metricType: "counter" },
    memory: {
      namespace: "engine",
      name: "memory_bytes",
      description: "Memory.",
      metric_type: "gauge",
      unit: "bytes",
      labels: { pool: "textures" },
    },
    frameTime: {
      namespace: "engine",
      name: "frame_seconds",
      description: "Frame time.",
      metricType: "histogram",
      buckets: [0.008, 0.016, 0.033],
    },
  },
});

describe("JSON metrics config and EngineMetrics", () => {
  it("defines metrics from JSON and drives them by key", () => {
    const registry = createRegistry();
    const engine = new EngineMetrics(registry);
    engine.initializeWithConfig(loadMetricsConfig(config, "metrics.json"));
    engine.incrementCounter("frames");
    engine.incrementCounter("frames", 2);
    engine.updateGauge("memory", 1024);
    engine.recordHistogram("frameTime", 0.01);
    engine.incrementCounter("unknown");
    engine.updateGauge("frames", 1);
    const snap = registry.snapshot();
    assert.equal(findValue(snap, "engine_frames_total"), 3);
    assert.equal(findValue(snap, "engine_memory_bytes", { pool: "textures" }), 1024);
    assert.equal(
      (snap.families.find((f) => f.name === "engine_frame_seconds") as HistogramFamily).series[0].count,
      1,
    );
    assert.equal(engine.missed, 2);
    assert.deepEqual(engine.keys(), ["frames", "memory", "frameTime"]);
  });

  it("offers the seed's programmatic registration and computed gauges", async () => {
    const registry = createRegistry();
    const engine = new EngineMetrics(registry);
    engine.registerCustomCounter("draws", "engine", "draw_calls_total", "Draw calls.");
    engine.registerCustomGauge("fps", "engine", "fps", "Frames per second.");
    engine.registerCustomHistogram("gpu", "engine", "gpu_seconds", "GPU time.", [0.001, 0.01]);
    engine.registerComputedGauge("engine_entities", () => 12);
    engine.incrementCounter("draws", 10);
    engine.updateGauge("fps", 60);
    assert.throws(() => engine.registerCustomGauge("fps", "engine", "fps2", ""), /already defined/);
    const snap = await registry.collect();
    assert.equal(findValue(snap, "engine_draw_calls_total"), 10);
    assert.equal(findValue(snap, "engine_entities"), 12);
  });

  it("names the key and field of each config error", () => {
    const bad = (metrics: unknown) => () => loadMetricsConfig(JSON.stringify({ metrics }), "m.json");
    assert.throws(
      bad({ a: { name: "x", metricType: "timer2" } }),
      /m\.json: metrics\.a\.metricType: expected one of counter, gauge, histogram, summary; got "timer2"/,
    );
    assert.throws(bad({ a: { metricType: "counter" } }), /metrics\.a\.name: expected a string, got nothing/);
    assert.throws(
      bad({ a: { name: "x", metricType: "gauge", labels: { k: 1 } } }),
      /metrics\.a\.labels\.k: expected a string/,
    );
    assert.throws(
      bad({ a: { name: "x", metricType: "gauge", buckets: [1] } }),
      /only histograms take buckets/,
    );
    assert.throws(bad([]), /metrics: expected an object/);
    assert.throws(
      () => loadMetricsConfig("{ not json", "m.json"),
      (err: unknown) =>
        isHeadroomError(err, ErrorCode.Parse) && /m\.json: invalid JSON/.test((err as Error).message),
    );
    const registry = createRegistry();
    const engine = new EngineMetrics(registry);
    assert.throws(
      () =>
        engine.initializeWithConfig(
          loadMetricsConfig(JSON.stringify({ metrics: { a: { name: "bad name", metricType: "counter" } } })),
        ),
      /invalid metric name/,
    );
  });
});

describe("in-memory backend", () => {
  it("resolves MetricIds to registry metrics and refuses a type clash", () => {
    const registry = createRegistry();
    const backend = createInMemoryBackend(registry);
    const id = { namespace: "engine", name: "events_total", labels: { kind: "input" } };
    backend.incrementCounter(id);
    backend.incrementCounter(id, 4);
    backend.setGauge({ namespace: "", name: "level", labels: {} }, 3);
    backend.recordHistogram({ namespace: "", name: "dur", labels: { a: "b" } }, 0.2);
    assert.equal(findValue(backend.snapshot(), "engine_events_total", { kind: "input" }), 5);
    assert.equal(findValue(backend.snapshot(), "level"), 3);
    assert.throws(() => backend.setGauge(id, 1), /is a counter, not a gauge/);
  });
});

describe("mergeSnapshots", () => {
  it("sums counters and histograms, applies gauge policies, omits on request", () => {
    const workers = [1, 2].map((n) => {
      const r = createRegistry({ now: () => n });
      r.counter({ name: "jobs_total", help: "J.", labelNames: ["w"] }).inc({ w: "x" }, n);
      r.gauge({ name: "inflight", help: "I." }).set(n * 10);
      r.gauge({ name: "peak", help: "P." }).set(n);
      r.gauge({ name: "private", help: "P." }).set(n);
      r.histogram({ name: "lat", help: "L.", buckets: [1] }).observe(n);
      return r.snapshot();
    });
    const merged = mergeSnapshots(workers, { policies: { inflight: "sum", peak: "max", private: "omit" } });
    assert.equal(findValue(merged, "jobs_total", { w: "x" }), 3);
    assert.equal(findValue(merged, "inflight"), 30);
    assert.equal(findValue(merged, "peak"), 2);
    assert.equal(findValue(merged, "private"), undefined);
    const lat = merged.families.find((f) => f.name === "lat") as HistogramFamily;
    assert.deepEqual(lat.series[0].counts, [1, 2]);
    assert.equal(merged.timestampMs, 2);
  });

  it("refuses to merge families of different types or buckets", () => {
    const a = createRegistry();
    a.counter({ name: "m", help: "" });
    const b = createRegistry();
    b.gauge({ name: "m", help: "" });
    assert.throws(
      () => mergeSnapshots([a.snapshot(), b.snapshot()]),
      /counter in one snapshot, gauge in another/,
    );
  });
});
