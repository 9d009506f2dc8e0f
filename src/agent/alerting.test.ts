import assert from "node:assert/strict";
import { test } from "node:test";
import { thresholdRules } from "./alerting.js";

test("seed thresholds become the alerting module's rules, with hysteresis and the running-containers series", () => {
  const rules = thresholdRules({
    cpuUsagePercent: 80,
    memoryUsagePercent: 85,
    diskUsagePercent: 90,
    networkBandwidthPercent: 80,
    containerCount: 10,
    processCount: 1000,
  });
  const cpu = rules.find((r) => r.name === "HostCpuUsageHigh");
  assert.ok(cpu);
  assert.equal(cpu.threshold, 80);
  assert.deepEqual(cpu.clear, { op: "<", threshold: 75 });
  const containers = rules.find((r) => r.name === "HostContainerCountHigh");
  assert.ok(containers);
  assert.equal(containers.metric, "headroom_containers");
  assert.deepEqual(containers.matchers, [{ name: "state", op: "=", value: "running" }]);
  assert.equal(rules.length, 6);
});
