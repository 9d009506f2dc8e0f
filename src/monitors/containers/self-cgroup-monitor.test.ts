import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { createRegistry } from "../../metrics/registry.js";
import { findValue } from "../../metrics/snapshot.js";
import { checkResourceLimits } from "../capacity.js";
import { createSelfCgroupMonitor, SelfCgroupMonitor } from "./self-cgroup-monitor.js";

const FIX = fileURLToPath(new URL("../../../test/fixtures/", import.meta.url));

test("inside a half-CPU, 256 MiB cgroup the effective capacity is the cgroup's, not the host's", () => {
  // The host's /proc from one capture, the process's cgroup files from the real-cgroup capture.
  const procfs = mkdtempSync(join(tmpdir(), "headroom-self-"));
  try {
    cpSync(`${FIX}host/debian12-k6.18/proc`, procfs, { recursive: true });
    cpSync(`${FIX}cgroup/v1-hybrid/proc/self`, join(procfs, "self"), { recursive: true });
    const registry = createRegistry();
    const m = new SelfCgroupMonitor(registry, { procfs, rootPrefix: `${FIX}cgroup/v1-hybrid` });
    m.update();
    const v = m.getEffectiveView();
    assert.equal(v?.hostCpuCores, 2);
    assert.ok((v?.hostMemoryBytes ?? 0) > 1024 ** 3);
    assert.equal(v?.cpuCores, 0.5);
    assert.equal(v?.memoryBytes, 256 * 1024 * 1024);
    assert.deepEqual(v?.limited, { cpu: true, memory: true });
    assert.equal(m.getUsageReport().totalCapacityBytes, 256 * 1024 * 1024);
    const s = registry.snapshot();
    assert.equal(findValue(s, "headroom_capacity_cpu_cores", { view: "effective" }), 0.5);
    assert.equal(findValue(s, "headroom_capacity_cpu_cores", { view: "host" }), 2);
    assert.equal(findValue(s, "headroom_capacity_memory_bytes", { view: "effective" }), 268435456);
    const pct = findValue(s, "headroom_self_memory_usage_percent", { view: "effective" }) ?? 0;
    assert.ok(Math.abs(pct - (733184 / 268435456) * 100) < 1e-9);
    const over = checkResourceLimits({ maxMemoryUsagePercent: 0.1 }, m.effectiveUsage());
    assert.equal(over?.data?.what, "Memory usage");
  } finally {
    rmSync(procfs, { recursive: true, force: true });
  }
});

test("createSelfCgroupMonitor: a monitor on this host, none where no cgroup can be found", () => {
  assert.ok(createSelfCgroupMonitor(createRegistry()));
  assert.equal(createSelfCgroupMonitor(createRegistry(), { procfs: "/nonexistent-proc" }), undefined);
});
