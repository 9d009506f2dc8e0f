import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createRegistry } from "../../metrics/registry.js";
import { findValue } from "../../metrics/snapshot.js";
import { createMonitorRegistry } from "../monitor-registry.js";
import { createMonitorScheduler } from "../scheduler.js";
import { CpuMonitor } from "./cpu-monitor.js";
import { createHostMonitors } from "./create-host-monitors.js";
import { FilesystemMonitor } from "./filesystem-monitor.js";
import { DEBIAN12, EL6, fixture } from "./fixture-path.test-util.js";
import { HostMemoryMonitor } from "./memory-monitor.js";

const NO_SYS = "/nonexistent-sysfs";

/** A writable copy of a fixture tree, so a test can change files between updates. */
function copyOf(root: string): string {
  const dir = mkdtempSync(join(tmpdir(), "headroom-host-"));
  cpSync(root, dir, { recursive: true });
  return dir;
}

const fsStub = async () => ({ bsize: 4096, blocks: 1000, bfree: 250, bavail: 200, files: 100, ffree: 40 });

test("every host monitor reads the 2.6.32 fixture tree into node_exporter-named series", async () => {
  const registry = createRegistry();
  const monitors = createHostMonitors(registry, {
    procfs: `${EL6}/proc`,
    sysfs: NO_SYS,
    rootfs: "/nonexistent-root",
    statfs: fsStub,
  });
  for (const m of monitors) await m.update();
  const s = registry.snapshot();
  assert.equal(findValue(s, "node_cpu_seconds_total", { cpu: "1", mode: "user" }), 11.23);
  assert.equal(findValue(s, "node_cpu_guest_seconds_total", { cpu: "0", mode: "user" }), 0);
  assert.equal(findValue(s, "node_load1"), 1.05);
  assert.equal(findValue(s, "node_memory_MemTotal_bytes"), 1922228 * 1024);
  assert.equal(findValue(s, "node_memory_HugePages_Total"), 0);
  assert.equal(findValue(s, "node_disk_read_bytes_total", { device: "sda" }), 1337126 * 512);
  assert.equal(
    findValue(s, "node_disk_read_bytes_total", { device: "sda1" }),
    undefined,
    "partitions excluded",
  );
  assert.equal(findValue(s, "node_network_receive_bytes_total", { device: "eth0" }), 123456789012);
  assert.equal(findValue(s, "node_filesystem_size_bytes", { mountpoint: "/boot" }), 4096 * 1000);
  assert.equal(findValue(s, "headroom_filesystem_usage_percent", { mountpoint: "/" }), 75);
  assert.equal(findValue(s, "node_boot_time_seconds"), 1062191376);
  assert.equal(findValue(s, "node_filefd_maximum"), 185890);
  assert.equal(findValue(s, "headroom_system_threads"), 187);
  assert.equal(findValue(s, "headroom_cpu_usage_percent"), undefined, "no usage before a second sample");
  assert.equal(findValue(s, "headroom_cpu_temperature_celsius"), undefined, "no sensors, no temperature");
  const mem = monitors.find((m) => m.monitorId() === "host.memory");
  assert.equal(mem?.getUsageReport().totalCapacityBytes, 1922228 * 1024);
});

test("CPU usage between two samples follows psutil; a counter that goes backwards gives no reading", () => {
  const dir = copyOf(`${EL6}/proc`);
  try {
    const registry = createRegistry();
    const cpu = new CpuMonitor(registry, { roots: { procfs: dir, sysfs: NO_SYS } });
    cpu.update();
    // +60 user, +20 steal, +100 idle, +20 iowait ticks on cpu0 and in total: busy 80 / 200.
    const stat = fixture(EL6, "proc/stat")
      .replace("cpu  2255 34 2290 22625563 6290 127 456 0 0", "cpu  2315 34 2290 22625663 6310 127 456 20 0")
      .replace("cpu0 1132 34 1441 11311718 3675 127 438 0 0", "cpu0 1192 34 1441 11311818 3695 127 438 20 0");
    writeFileSync(join(dir, "stat"), stat);
    cpu.update();
    let s = registry.snapshot();
    const near = (a: number | undefined, b: number) =>
      assert.ok(a !== undefined && Math.abs(a - b) < 1e-6, `${a} != ${b}`);
    near(findValue(s, "headroom_cpu_usage_percent"), 40);
    near(findValue(s, "headroom_cpu_core_usage_percent", { cpu: "0" }), 40);
    assert.equal(cpu.getUsageReport().totalCapacityBytes, 2);
    assert.ok(Math.abs(cpu.getUsageReport().currentBytes - 0.8) < 1e-9);
    // Back to the original (lower) counters: a reset, so the last usage stays and nothing negative appears.
    writeFileSync(join(dir, "stat"), fixture(EL6, "proc/stat"));
    cpu.update();
    s = registry.snapshot();
    near(findValue(s, "headroom_cpu_usage_percent"), 40);
    assert.equal(findValue(s, "node_cpu_seconds_total", { cpu: "0", mode: "user" }), 11.32);
    cpu.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("truncated, empty and garbage files fail the update and leave the last good numbers", () => {
  const dir = copyOf(`${DEBIAN12}/proc`);
  try {
    const registry = createRegistry();
    const mem = new HostMemoryMonitor(registry, { roots: { procfs: dir } });
    mem.update();
    const good = findValue(registry.snapshot(), "node_memory_MemTotal_bytes");
    for (const bad of ["", "MemTotal:  12", "\u0000\u0001\u0002\n", "MemTotal: lots kB\n"]) {
      writeFileSync(join(dir, "meminfo"), bad);
      assert.throws(() => mem.update(), /\[host:memory\]/);
      assert.equal(findValue(registry.snapshot(), "node_memory_MemTotal_bytes"), good);
    }
    mem.close();
    rmSync(join(dir, "meminfo"));
    assert.throws(
      () => new HostMemoryMonitor(createRegistry(), { roots: { procfs: dir } }).update(),
      /ENOENT/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a failing monitor is reported by the scheduler while the others keep updating", async () => {
  const dir = copyOf(`${DEBIAN12}/proc`);
  try {
    writeFileSync(join(dir, "stat"), "garbage");
    const registry = createRegistry();
    const monitors = createMonitorRegistry();
    for (const m of createHostMonitors(registry, { procfs: dir, sysfs: NO_SYS, enable: ["cpu", "memory"] })) {
      monitors.registerResourceMonitor(m);
    }
    const results = await createMonitorScheduler(monitors, { metrics: registry }).tick();
    const s = registry.snapshot();
    assert.equal(findValue(s, "headroom_monitor_success", { monitor: "host.cpu" }), 0);
    assert.equal(findValue(s, "headroom_monitor_success", { monitor: "host.memory" }), 1);
    assert.match(results.find((r) => r.monitorId === "host.cpu")?.error ?? "", /truncated/);
    await monitors.closeAll();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a stuck statfs marks only that mount, without blocking, and is not asked again while pending", async () => {
  const registry = createRegistry();
  let calls = 0;
  let release: () => void = () => {};
  const fsmon = new FilesystemMonitor(registry, {
    roots: { procfs: `${EL6}/proc`, rootfs: "/r" },
    statfsTimeoutMs: 20,
    statfs: (path) => {
      if (path !== "/r/mnt/nfs share") return fsStub();
      calls++;
      if (calls > 1) return fsStub();
      return new Promise((resolve) => {
        release = () => resolve({ bsize: 1, blocks: 1, bfree: 1, bavail: 1, files: 1, ffree: 1 });
      });
    },
  });
  await fsmon.update();
  let s = registry.snapshot();
  const nfs = { mountpoint: "/mnt/nfs share" };
  assert.equal(findValue(s, "node_filesystem_device_error", nfs), 1);
  assert.equal(findValue(s, "node_filesystem_size_bytes", nfs), undefined, "no stale or invented size");
  assert.equal(findValue(s, "node_filesystem_device_error", { mountpoint: "/" }), 0);
  assert.deepEqual(fsmon.stuckMounts(), ["/r/mnt/nfs share"]);
  await fsmon.update();
  assert.equal(calls, 1, "a pending statfs is not started twice");
  release();
  await new Promise((r) => setTimeout(r, 5));
  await fsmon.update();
  s = registry.snapshot();
  assert.equal(findValue(s, "node_filesystem_device_error", nfs), 0);
  assert.equal(calls, 2);
});

test("a statfs that fails (unreadable mount) reports a device error for that mount only", async () => {
  const registry = createRegistry();
  const fsmon = new FilesystemMonitor(registry, {
    roots: { procfs: `${EL6}/proc` },
    statfs: async (p) => {
      if (p === "/boot") throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
      return fsStub();
    },
  });
  await fsmon.update();
  const s = registry.snapshot();
  assert.equal(findValue(s, "node_filesystem_device_error", { mountpoint: "/boot" }), 1);
  assert.equal(findValue(s, "node_filesystem_size_bytes", { mountpoint: "/" }), 4096000);
});

test("network and disk include/exclude filters", async () => {
  const registry = createRegistry();
  const monitors = createHostMonitors(registry, {
    procfs: `${EL6}/proc`,
    sysfs: NO_SYS,
    enable: ["network", "disk"],
    networkDeviceInclude: /^(eth|docker)/,
    networkDeviceExclude: /^docker/,
    diskDeviceInclude: /^(sd|dm-)/,
  });
  for (const m of monitors) await m.update();
  const s = registry.snapshot();
  const devices = (name: string) =>
    (s.families.find((f) => f.name === name)?.series ?? []).map((x) => x.labels.device).sort();
  assert.deepEqual(devices("node_network_receive_bytes_total"), ["eth0"]);
  assert.deepEqual(devices("node_disk_reads_completed_total"), ["dm-0", "sda"]);
});

test("temperature from hwmon and thermal zones, frequency from cpufreq (hand-made sysfs)", () => {
  const registry = createRegistry();
  const cpu = new CpuMonitor(registry, { roots: { procfs: `${EL6}/proc`, sysfs: `${EL6}/sys` } });
  cpu.update();
  const s = registry.snapshot();
  assert.equal(findValue(s, "node_hwmon_temp_celsius", { chip: "hwmon0_coretemp", sensor: "temp2" }), 52.5);
  assert.equal(findValue(s, "node_thermal_zone_temp", { type: "x86_pkg_temp", zone: "0" }), 51);
  assert.equal(findValue(s, "headroom_cpu_temperature_celsius"), 52.5);
  assert.equal(findValue(s, "node_cpu_scaling_frequency_hertz", { cpu: "1" }), 1.2e9);
  assert.equal(findValue(s, "headroom_cpu_frequency_hertz", { cpu: "0" }), 2.4e9);
  cpu.close();
});
