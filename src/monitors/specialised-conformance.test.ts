/**
 * The runtime, memory, VRAM and frame-timing monitors held to the same ResourceMonitor
 * conformance suite as the host and cgroup monitors.
 */
import { runMonitorConformance } from "./conformance.js";
import { createGpuMonitor } from "./gpu/frame-monitor.js";
import { createMemoryVramProvider, type MemoryVramProvider } from "./gpu/memory-vram-provider.js";
import { createVramMonitor } from "./gpu/vram-monitor.js";
import { createMemoryMonitor } from "./memory/node-memory-monitor.js";
import { createRuntimeMonitor } from "./runtime/runtime-monitor.js";

// VRAM monitors hold their provider weakly; the suite's providers live as long as the file.
const providers: MemoryVramProvider[] = [];

runMonitorConformance("runtime", (registry) => createRuntimeMonitor(registry));
runMonitorConformance("memory", (registry) => createMemoryMonitor(registry));
runMonitorConformance("vram", (registry) => {
  const provider = createMemoryVramProvider(80 * 1024);
  provider.setUsageMb(512);
  providers.push(provider);
  return createVramMonitor(provider, registry);
});
// Frames reach the registry as they are recorded, not in update().
runMonitorConformance(
  "gpu frames",
  (registry) => {
    const monitor = createGpuMonitor(registry);
    monitor.updateFromFrameStats({ frameNumber: 1, hookTimingsUs: [0, 100, 900, 1000] });
    return monitor;
  },
  { writesOnUpdate: false },
);
