import assert from "node:assert/strict";
import { test } from "node:test";
import type { MetricsSnapshot } from "../metrics/snapshot.js";
import { checkResourceLimits } from "../monitors/capacity.js";
import { limitUsage } from "./limit-usage.js";

function snap(idle: number, user: number): MetricsSnapshot {
  return {
    timestampMs: 0,
    families: [
      {
        name: "node_cpu_seconds_total",
        help: "",
        unit: "",
        labelNames: ["cpu", "mode"],
        type: "counter",
        series: [
          { labels: { cpu: "0", mode: "idle" }, value: idle },
          { labels: { cpu: "0", mode: "user" }, value: user },
        ],
      },
      {
        name: "node_memory_MemTotal_bytes",
        help: "",
        unit: "",
        labelNames: [],
        type: "gauge",
        series: [{ labels: {}, value: 1000 }],
      },
      {
        name: "node_memory_MemAvailable_bytes",
        help: "",
        unit: "",
        labelNames: [],
        type: "gauge",
        series: [{ labels: {}, value: 50 }],
      },
    ],
  };
}

test("usage from two snapshots feeds checkResourceLimits", () => {
  const usage = limitUsage(snap(100, 100), snap(110, 190));
  assert.equal(usage.cpuUsagePercent, 90);
  assert.equal(usage.memoryUsedBytes, 950);
  assert.equal(usage.diskTotalBytes, undefined);
  const exceeded = checkResourceLimits({ maxCpuUsagePercent: 95, maxMemoryUsagePercent: 90 }, usage);
  assert.equal(exceeded?.data?.what, "Memory usage");
  assert.deepEqual(limitUsage({ timestampMs: 0, families: [] }, { timestampMs: 1, families: [] }), {});
});
