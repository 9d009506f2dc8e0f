import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode } from "../errors.js";
import { checkResourceLimits, findMonitorsOverCapacity } from "./capacity.js";
import { createMonitorRegistry } from "./monitor-registry.js";
import { MonitoredResourceType, type ResourceUsageReport } from "./resource-monitor.js";

function fixed(id: string, report: ResourceUsageReport | (() => ResourceUsageReport)) {
  return {
    monitorId: () => id,
    resourceType: () => MonitoredResourceType.Memory,
    getUsageReport: typeof report === "function" ? report : () => report,
    update() {},
  };
}

test("findMonitorsOverCapacity reports monitors above the threshold, highest first", () => {
  const reg = createMonitorRegistry();
  reg.registerResourceMonitor(fixed("low", { currentBytes: 10, peakBytes: 10, totalCapacityBytes: 100 }));
  reg.registerResourceMonitor(fixed("high", { currentBytes: 95, peakBytes: 95, totalCapacityBytes: 100 }));
  reg.registerResourceMonitor(fixed("mid", { currentBytes: 85, peakBytes: 90, totalCapacityBytes: 100 }));
  reg.registerResourceMonitor(fixed("nocap", { currentBytes: 1e9, peakBytes: 1e9 }));
  reg.registerResourceMonitor(fixed("zero", { currentBytes: 5, peakBytes: 5, totalCapacityBytes: 0 }));
  reg.registerResourceMonitor(
    fixed("broken", () => {
      throw new Error("no");
    }),
  );
  const found = findMonitorsOverCapacity(reg, 80);
  assert.deepEqual(
    found.map((f) => [f.monitorId, f.usagePercent]),
    [
      ["high", 95],
      ["mid", 85],
    ],
  );
});

test("checkResourceLimits returns a typed error naming what, limit and actual", () => {
  const limits = { maxCpuUsagePercent: 80, maxMemoryUsagePercent: 90, maxDiskUsagePercent: 95 };
  assert.equal(
    checkResourceLimits(limits, { cpuUsagePercent: 50, memoryUsedBytes: 1, memoryTotalBytes: 2 }),
    undefined,
  );
  const cpu = checkResourceLimits(limits, { cpuUsagePercent: 85.25 });
  assert.equal(cpu?.code, ErrorCode.ResourceLimitExceeded);
  assert.deepEqual(cpu?.data, { what: "CPU usage", limit: 80, actual: 85.25 });
  assert.match(cpu?.message ?? "", /^\[limits\] CPU usage 85\.3% exceeds the limit of 80\.0%/);
  const mem = checkResourceLimits(limits, { memoryUsedBytes: 240, memoryTotalBytes: 256 });
  assert.equal(mem?.data?.what, "Memory usage");
  assert.equal(mem?.data?.actual, 93.75);
  const disk = checkResourceLimits(limits, { diskUsedBytes: 99, diskTotalBytes: 100 });
  assert.equal(disk?.data?.what, "Disk usage");
});

test("checkResourceLimits skips unknown usage and absent limits", () => {
  assert.equal(checkResourceLimits({}, { cpuUsagePercent: 100 }), undefined);
  assert.equal(checkResourceLimits({ maxMemoryUsagePercent: 1 }, { memoryUsedBytes: 5 }), undefined);
  assert.equal(
    checkResourceLimits({ maxMemoryUsagePercent: 1 }, { memoryUsedBytes: 5, memoryTotalBytes: 0 }),
    undefined,
  );
  assert.equal(checkResourceLimits({ maxCpuUsagePercent: 1 }, { cpuUsagePercent: Number.NaN }), undefined);
});
