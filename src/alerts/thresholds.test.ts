import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRules } from "./rule.js";
import { rulesFromThresholds } from "./thresholds.js";

test("the seed's threshold keys expand into ready-made rules with hysteresis", () => {
  const specs = rulesFromThresholds({
    cpu_usage_percent: 80,
    memory_usage_percent: 85,
    disk_usage_percent: 90,
    network_bandwidth_percent: 80,
    container_count: 10,
    process_count: 1000,
  });
  const rules = parseRules(specs);
  assert.deepEqual(
    rules.map((r) => [r.name, r.metric, r.threshold, r.clear?.threshold ?? null]),
    [
      ["HostCpuUsageHigh", "headroom_cpu_usage_percent", 80, 75],
      ["HostMemoryUsageHigh", "headroom_memory_usage_percent", 85, 80],
      ["HostDiskUsageHigh", "headroom_filesystem_usage_percent", 90, 85],
      ["HostNetworkBandwidthHigh", "headroom_network_bandwidth_percent", 80, 75],
      ["HostContainerCountHigh", "headroom_containers_running", 10, null],
      ["HostProcessCountHigh", "headroom_system_processes", 1000, null],
    ],
  );
  assert.equal(
    rules[2].annotations.summary({
      value: 93,
      labels: { mountpoint: "/" },
      threshold: 90,
      rule: "",
      severity: "",
    }),
    "Filesystem / is 93% full (threshold 90%)",
  );
  assert.equal(rules[0].labels.resource, "cpu");
});

test("camelCase keys (the agent's config) and options work; bad keys and values are rejected", () => {
  const [r] = rulesFromThresholds(
    { cpuUsagePercent: 70 },
    { severity: "critical", for: "2m", metrics: { cpuUsagePercent: "my_cpu" } },
  );
  assert.equal(r.metric, "my_cpu");
  assert.equal(r.severity, "critical");
  assert.throws(() => rulesFromThresholds({ gpu_usage_percent: 1 }), /unknown key "gpu_usage_percent"/);
  assert.throws(
    () => rulesFromThresholds({ cpu_usage_percent: 180 }),
    /"cpu_usage_percent" must be a number in range/,
  );
  assert.throws(() => rulesFromThresholds({ process_count: -1 }), /must be a number in range/);
});
