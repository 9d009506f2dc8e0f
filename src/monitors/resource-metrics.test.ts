import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { createRegistry } from "../metrics/registry.js";
import { checkResourceLimits } from "./capacity.js";
import { createHostMonitors } from "./host/create-host-monitors.js";
import { readResourceMetrics, resourceLimitUsage } from "./resource-metrics.js";

const EL6 = fileURLToPath(new URL("../../test/fixtures/host/el6-k2.6.32", import.meta.url));

test("the seed's ResourceMetrics and the limit-check usage read back from the registry", async () => {
  const registry = createRegistry();
  const monitors = createHostMonitors(registry, {
    procfs: `${EL6}/proc`,
    sysfs: "/nonexistent-sysfs",
    statfs: async () => ({ bsize: 1024, blocks: 100, bfree: 10, bavail: 5, files: 10, ffree: 5 }),
  });
  for (const m of monitors) await m.update();
  const r = readResourceMetrics(registry.snapshot());
  assert.deepEqual(r.cpu.loadAverage, [1.05, 0.7, 0.5]);
  assert.equal(r.cpu.cores, 2);
  assert.equal(r.memory.totalBytes, 1922228 * 1024);
  assert.equal(r.memory.cachedBytes, 1020040 * 1024);
  assert.equal(r.disk.partitions.length, 3);
  assert.equal(r.disk.totalBytes, 3 * 102400);
  assert.equal(r.network.bytesReceived, 524288 + 123456789012 + 1000);
  assert.equal(r.system.bootTime, 1062191376);
  assert.equal(r.system.openFiles, 2048);
  const usage = resourceLimitUsage(registry.snapshot());
  assert.equal(usage.diskUsedBytes, 3 * 90 * 1024);
  assert.equal(checkResourceLimits({ maxDiskUsagePercent: 85 }, usage)?.data?.actual, 90);
  assert.equal(checkResourceLimits({ maxMemoryUsagePercent: 99 }, usage), undefined);
});
