import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { createRegistry } from "../../metrics/registry.js";
import { findValue } from "../../metrics/snapshot.js";
import { createMemoryMonitor } from "../memory/node-memory-monitor.js";
import { createMonitorRegistry } from "../monitor-registry.js";
import { createRuntimeMonitor } from "../runtime/runtime-monitor.js";
import { createMonitorScheduler } from "../scheduler.js";
import { createGpuMonitor } from "./frame-monitor.js";
import { createNvidiaMonitor } from "./nvidia-monitor.js";
import { createNvidiaProvider } from "./nvidia-provider.js";

test("on a machine without an NVIDIA driver the GPU monitor reports why and the others carry on", async () => {
  const registry = createRegistry();
  const monitors = createMonitorRegistry();
  const provider = createNvidiaProvider({
    libraryPath: "/nonexistent/libnvidia-ml.so.1",
    smiCommand: join("/nonexistent", "nvidia-smi"),
  });
  const status = await provider.start();
  assert.equal(status.available, false);
  monitors.registerResourceMonitor(createNvidiaMonitor(provider, registry));
  monitors.registerResourceMonitor(createRuntimeMonitor(registry));
  monitors.registerResourceMonitor(createMemoryMonitor(registry));
  monitors.registerResourceMonitor(createGpuMonitor(registry));
  const scheduler = createMonitorScheduler(monitors, { intervalMs: 1000 });
  try {
    const results = await scheduler.tick();
    const byId = new Map(results.map((r) => [r.monitorId, r]));
    assert.equal(byId.get("gpu.nvidia")?.ok, false);
    assert.match(byId.get("gpu.nvidia")?.error ?? "", /not available: NVML: .*nvidia-smi: /);
    for (const id of ["runtime", "SystemRAM", "gpu.frames"]) assert.equal(byId.get(id)?.ok, true, id);
    const snap = registry.snapshot();
    assert.equal(findValue(snap, "headroom_gpu_provider_available"), 0);
    assert.ok((findValue(snap, "nodejs_heap_size_used_bytes") ?? 0) > 0);
    assert.ok((findValue(snap, "headroom_memory_current_bytes") ?? 0) > 0);
  } finally {
    await scheduler.stop();
    await monitors.closeAll();
  }
});
