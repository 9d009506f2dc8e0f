/** Every monitor in this area runs the ResourceMonitor conformance suite on fixture trees. */

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runMonitorConformance } from "./conformance.js";
import { cgroupDirs, detectCgroupLayout, parseProcCgroup } from "./containers/cgroup-layout.js";
import { CgroupMonitor } from "./containers/cgroup-monitor.js";
import { CpuMonitor } from "./host/cpu-monitor.js";
import { DiskMonitor } from "./host/disk-monitor.js";
import { FilesystemMonitor } from "./host/filesystem-monitor.js";
import { HostMemoryMonitor } from "./host/memory-monitor.js";
import { NetworkMonitor } from "./host/network-monitor.js";
import { PressureMonitor } from "./host/pressure-monitor.js";
import { ProcessMonitor } from "./host/process-monitor.js";
import { SystemMonitor } from "./host/system-monitor.js";

const FIX = fileURLToPath(new URL("../../test/fixtures/", import.meta.url));
const roots = {
  procfs: `${FIX}host/debian12-k6.18/proc`,
  sysfs: `${FIX}host/el6-k2.6.32/sys`,
  rootfs: "/nonexistent",
};
const statfs = async () => ({ bsize: 4096, blocks: 100, bfree: 50, bavail: 40, files: 10, ffree: 5 });

runMonitorConformance("host.cpu", (r) => new CpuMonitor(r, { roots }));
runMonitorConformance("host.memory", (r) => new HostMemoryMonitor(r, { roots }));
runMonitorConformance("host.disk", (r) => new DiskMonitor(r, { roots }));
runMonitorConformance("host.filesystem", (r) => new FilesystemMonitor(r, { roots, statfs }));
runMonitorConformance("host.network", (r) => new NetworkMonitor(r, { roots }));
runMonitorConformance("host.system", (r) => new SystemMonitor(r, { roots }));
runMonitorConformance("host.processes", (r) => new ProcessMonitor(r, { roots }));
runMonitorConformance("host.pressure", (r) => new PressureMonitor(r, { roots }));
runMonitorConformance("containers.cgroups", (r) => {
  const root = `${FIX}cgroup/v1-hybrid`;
  const layout = detectCgroupLayout(readFileSync(`${root}/proc/self/mountinfo`, "latin1"));
  const dirs = cgroupDirs(layout, parseProcCgroup(readFileSync(`${root}/proc/self/cgroup`, "latin1")), root);
  return new CgroupMonitor(r, { targets: () => [{ id: "/docker/abc123", name: "web", image: "bb", dirs }] });
});
