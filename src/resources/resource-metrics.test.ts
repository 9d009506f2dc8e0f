import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ErrorCode, isHeadroomError } from "../errors.js";
import { createRegistry } from "../metrics/registry.js";
import { findValue, type MetricsSnapshot } from "../metrics/snapshot.js";
import { createHostPressureFeed, hostPressureLevel } from "./host-pressure.js";
import { createResourceManager } from "./resource-manager.js";
import { instrumentResourceManager } from "./resource-metrics.js";
import { AcquisitionMode, ResourcePressure, ResourceType } from "./types.js";

describe("resource metrics", () => {
  it("mirrors budgets, usage, pressure, emergency grants, events and pools at collect", async () => {
    const registry = createRegistry();
    const m = createResourceManager({ registry });
    m.setBudget(ResourceType.Memory, { maxBytes: 100, reservedBytes: 10 });
    const pool = m
      .poolManager()
      .createPool({ type: ResourceType.Memory, blockSize: 16, initialCount: 2, maxCount: 4, name: "small" });
    pool.allocate();
    const a = m.acquireResource("a", { type: ResourceType.Memory, sizeBytes: 80 });
    assert.ok(a.ok);
    assert.ok(
      m.acquireResource("b", { type: ResourceType.Memory, sizeBytes: 40 }, AcquisitionMode.Emergency).ok,
    );
    a.value.release();
    a.value.release();
    const s = await registry.collect();
    const mem = { type: "memory" };
    assert.equal(findValue(s, "headroom_resource_budget_bytes", mem), 100);
    assert.equal(findValue(s, "headroom_resource_reserved_bytes", mem), 10);
    assert.equal(findValue(s, "headroom_resource_used_bytes", mem), 40);
    assert.equal(findValue(s, "headroom_resource_peak_bytes", mem), 120);
    assert.equal(findValue(s, "headroom_resource_live", mem), 1);
    assert.equal(findValue(s, "headroom_resource_pressure_level", mem), ResourcePressure.Low);
    assert.equal(findValue(s, "headroom_resource_allocations_total", mem), 2);
    assert.equal(findValue(s, "headroom_resource_emergency_grants_total", mem), 1);
    assert.equal(findValue(s, "headroom_resource_events_total", { event: "double_releases" }), 1);
    assert.equal(findValue(s, "headroom_pool_used_blocks", { pool: "small" }), 1);
    assert.equal(findValue(s, "headroom_pool_capacity_blocks", { pool: "small" }), 2);
    assert.equal(findValue(s, "headroom_pool_hits_total", { pool: "small" }), 1);
    await m.poolManager().destroyPool("small");
    const after = await registry.collect();
    assert.equal(findValue(after, "headroom_pool_used_blocks", { pool: "small" }), undefined);
    assert.throws(
      () => instrumentResourceManager(m, registry),
      (err) => isHeadroomError(err, ErrorCode.AlreadyRegistered),
    );
  });
});

const snap = (timestampMs: number, values: Record<string, number>): MetricsSnapshot => ({
  timestampMs,
  families: Object.entries(values).map(([name, value]) => ({
    name,
    help: "",
    unit: "",
    labelNames: [],
    type: "gauge" as const,
    series: [{ labels: {}, value }],
  })),
});

describe("host pressure", () => {
  it("maps stall fraction and headroom to levels, the higher winning", () => {
    assert.equal(hostPressureLevel({}), ResourcePressure.None);
    assert.equal(hostPressureLevel({ stallFraction: 0.05 }), ResourcePressure.Low);
    assert.equal(hostPressureLevel({ stallFraction: 0.5 }), ResourcePressure.Critical);
    assert.equal(hostPressureLevel({ availableRatio: 0.15 }), ResourcePressure.Medium);
    assert.equal(hostPressureLevel({ stallFraction: 0.12, availableRatio: 0.08 }), ResourcePressure.High);
    assert.equal(
      hostPressureLevel({ stallFraction: Number.NaN, availableRatio: 0.9 }),
      ResourcePressure.None,
    );
  });

  it("feeds a manager from successive host snapshots", () => {
    const m = createResourceManager();
    const feed = createHostPressureFeed(m);
    const base = { node_memory_MemTotal_bytes: 1000, node_memory_MemAvailable_bytes: 500 };
    assert.equal(
      feed.update(snap(0, { ...base, node_pressure_memory_waiting_seconds_total: 10 })),
      ResourcePressure.None,
    );
    // 3 s of stall over 10 s: 30% -> high.
    feed.update(snap(10_000, { ...base, node_pressure_memory_waiting_seconds_total: 13 }));
    assert.equal(m.getResourceStats(ResourceType.Memory)?.pressure, ResourcePressure.High);
    feed.update(
      snap(20_000, {
        ...base,
        node_pressure_memory_waiting_seconds_total: 13,
        container_spec_memory_limit_bytes: 100,
        container_memory_working_set_bytes: 97,
      }),
    );
    assert.equal(m.getResourceStats(ResourceType.Memory)?.pressure, ResourcePressure.Critical);
    feed.update(snap(30_000, { ...base, node_pressure_memory_waiting_seconds_total: 13 }));
    assert.equal(m.getResourceStats(ResourceType.Memory)?.pressure, ResourcePressure.None);
  });
});
