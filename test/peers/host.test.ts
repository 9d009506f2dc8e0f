/**
 * Host monitors side by side with the reference: node_exporter 1.5 (PEERS.md) scraped on
 * 127.0.0.1 while Headroom reads the same kernel files. For the collectors both cover (cpu, stat,
 * loadavg, meminfo, diskstats, filesystem, netdev, filefd, pressure) the series names and label
 * sets must match, and the values must agree within the tolerances below (the two reads are
 * milliseconds apart on a live host, so moving values get an absolute slack).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { createRegistry } from "../../src/metrics/registry.js";
import { findValue, type MetricsSnapshot } from "../../src/metrics/snapshot.js";
import { CpuMonitor } from "../../src/monitors/host/cpu-monitor.js";
import { createHostMonitors } from "../../src/monitors/host/create-host-monitors.js";
import { freePort, type Peer, startPeer } from "./lib.js";

// The same filters on both sides, spelled out so the comparison does not depend on the
// distribution's defaults (Debian's node_exporter excludes lo and /mnt, /media, /run).
const MOUNT_EXCLUDE = "^/(dev|proc|run|sys|mnt|media|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";
const NET_EXCLUDE = "^lo$";

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Just enough of the text format to read node_exporter's output. */
function parseExposition(text: string): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]] = l[2];
    const list = out.get(m[1]) ?? [];
    list.push({ labels, value: Number(m[4]) });
    out.set(m[1], list);
  }
  return out;
}

const COVERED =
  /^node_(cpu_seconds_total|cpu_guest_seconds_total|memory_.+|disk_(?!info).+|filesystem_.+|network_(receive|transmit)_(?!queue).+_total|load(1|5|15)|boot_time_seconds|context_switches_total|intr_total|forks_total|procs_(running|blocked)|filefd_.+|pressure_.+)$/;

function key(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(",");
}

function tolerance(name: string, value: number): number {
  if (
    name === "node_memory_MemTotal_bytes" ||
    name === "node_filefd_maximum" ||
    name === "node_boot_time_seconds"
  ) {
    return 1;
  }
  if (name === "node_filesystem_size_bytes" || name === "node_filesystem_files") return 0;
  if (name.startsWith("node_memory_")) return name.endsWith("_bytes") ? 64 * 1024 * 1024 : 1000;
  if (name.startsWith("node_cpu_")) return 1; // seconds per mode, reads ms apart
  if (name.startsWith("node_load")) return 1;
  if (name.includes("bytes")) return 16 * 1024 * 1024;
  if (name.startsWith("node_pressure_") || name.includes("seconds")) return 2;
  if (name === "node_context_switches_total" || name === "node_intr_total")
    return Math.max(100000, value * 0.01);
  return 2000; // packets, operations, forks, inodes, fds, procs
}

describe("host monitors against node_exporter", () => {
  let peer: Peer;
  let port: number;

  before(async () => {
    spawnSync("bash", ["test/peers/install.sh"], { stdio: "inherit" });
    port = await freePort();
    peer = await startPeer(
      "prometheus-node-exporter",
      [
        `--web.listen-address=127.0.0.1:${port}`,
        "--no-collector.systemd",
        "--no-collector.netdev.netlink",
        `--collector.netdev.device-exclude=${NET_EXCLUDE}`,
        `--collector.filesystem.mount-points-exclude=${MOUNT_EXCLUDE}`,
      ],
      `http://127.0.0.1:${port}/metrics`,
    );
  });

  after(async () => {
    await peer?.stop();
  });

  it("exports the same families and label sets, with values within tolerance", async () => {
    const registry = createRegistry();
    const monitors = createHostMonitors(registry, {
      networkDeviceExclude: new RegExp(NET_EXCLUDE),
      mountPointsExclude: new RegExp(MOUNT_EXCLUDE),
    });
    for (const m of monitors) await m.update();
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    const ne = parseExposition(await res.text());
    for (const m of monitors) await m.update();
    const snap: MetricsSnapshot = registry.snapshot();

    const compared: string[] = [];
    const problems: string[] = [];
    for (const [name, samples] of ne) {
      if (!COVERED.test(name)) continue;
      const fam = snap.families.find((f) => f.name === name);
      if (!fam) {
        problems.push(`missing family ${name}`);
        continue;
      }
      const neLabels = Object.keys(samples[0].labels).sort().join(",");
      if ([...fam.labelNames].sort().join(",") !== neLabels) {
        problems.push(`${name}: labels [${fam.labelNames}] vs node_exporter [${neLabels}]`);
      }
      for (const s of samples) {
        const mine = findValue(snap, name, s.labels);
        if (mine === undefined) {
          problems.push(`${name}{${key(s.labels)}} missing`);
          continue;
        }
        const tol = tolerance(name, s.value);
        if (Math.abs(mine - s.value) > tol)
          problems.push(`${name}{${key(s.labels)}} ${mine} vs ${s.value} (±${tol})`);
        compared.push(name);
      }
    }
    assert.deepEqual(problems, []);
    // Every covered collector took part.
    for (const prefix of [
      "node_cpu_seconds_total",
      "node_memory_MemAvailable_bytes",
      "node_disk_read_bytes_total",
      "node_filesystem_avail_bytes",
      "node_network_receive_bytes_total",
      "node_load1",
      "node_filefd_allocated",
    ]) {
      assert.ok(compared.includes(prefix), `${prefix} was compared`);
    }
    for (const m of monitors) await m.close?.();
  });

  it("reports a busy core as busy: a loop pinned to one CPU reads within a few percent of 100%", async () => {
    const registry = createRegistry();
    const cpu = new CpuMonitor(registry);
    const core = "1";
    const child = spawn(
      "taskset",
      ["-c", core, process.execPath, "-e", "const e=Date.now()+2500;while(Date.now()<e){}"],
      {
        stdio: "ignore",
      },
    );
    try {
      await new Promise((r) => setTimeout(r, 300));
      cpu.update();
      await new Promise((r) => setTimeout(r, 1500));
      cpu.update();
      const busy = findValue(registry.snapshot(), "headroom_cpu_core_usage_percent", { cpu: core }) ?? 0;
      assert.ok(busy >= 97 && busy <= 100, `core ${core} busy ${busy}%`);
    } finally {
      if (child.exitCode === null) child.kill();
    }
  });
});
