/**
 * Containers against real kernels and engines (PEERS.md): a real cgroup made by the test (CPU
 * quota 0.5 core, 256 MiB memory limit) with a busy process inside, read through the cgroup
 * monitor and the container-aware own view; and a real Podman API service running a real
 * container, read through the Docker API client and the container monitor.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createRegistry } from "../../src/metrics/registry.js";
import { findValue } from "../../src/metrics/snapshot.js";
import { checkResourceLimits } from "../../src/monitors/capacity.js";
import { CgroupMonitor } from "../../src/monitors/containers/cgroup-monitor.js";
import { cgroupTargetForPid, readCgroupLayout } from "../../src/monitors/containers/cgroup-target.js";
import { createContainerMonitor } from "../../src/monitors/containers/container-monitor.js";
import { cpuPercentBetween, createDockerClient } from "../../src/monitors/containers/docker-client.js";
import { SelfCgroupMonitor } from "../../src/monitors/containers/self-cgroup-monitor.js";
import { parsePidStat } from "../../src/monitors/host/pid-stat.js";
import { eventually, tempDir } from "./lib.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a real cgroup with a CPU quota and a memory limit", () => {
  const name = `headroom-test-${process.pid}`;
  const layout = readCgroupLayout();
  const made: string[] = [];
  let child: ChildProcess | undefined;

  function dir(controller: string): string {
    const root = layout.v1.get(controller) ?? layout.v2;
    assert.ok(root, `no mount for ${controller}`);
    return join(root, name);
  }

  before(() => {
    const controllers = layout.mode === "v2" ? ["unified"] : ["cpu", "cpuacct", "memory", "pids"];
    for (const c of controllers) {
      const d = c === "unified" ? join(layout.v2 as string, name) : dir(c);
      if (!made.includes(d)) {
        mkdirSync(d);
        made.push(d);
      }
    }
    if (layout.mode === "v2") {
      writeFileSync(join(made[0], "cpu.max"), "50000 100000");
      writeFileSync(join(made[0], "memory.max"), String(256 * 1024 * 1024));
    } else {
      writeFileSync(join(dir("cpu"), "cpu.cfs_period_us"), "100000");
      writeFileSync(join(dir("cpu"), "cpu.cfs_quota_us"), "50000");
      writeFileSync(join(dir("memory"), "memory.limit_in_bytes"), String(256 * 1024 * 1024));
    }
  });

  after(async () => {
    if (child && child.exitCode === null) {
      child.kill("SIGKILL");
      await new Promise((r) => child?.once("exit", r));
    }
    for (const d of made.reverse()) {
      for (let i = 0; i < 20; i++) {
        try {
          rmdirSync(d);
          break;
        } catch {
          await sleep(100); // the killed process leaves the cgroup asynchronously
        }
      }
    }
  });

  it("reports the limits, and usage against them, for a busy process inside", async () => {
    // The child waits for a line on stdin, so it is inside the cgroup before it starts spinning.
    child = spawn(
      process.execPath,
      [
        "-e",
        "process.stdin.once('data',()=>{const e=Date.now()+4000;while(Date.now()<e){}; process.exit(0)})",
      ],
      { stdio: ["pipe", "ignore", "ignore"] },
    );
    const pid = child.pid as number;
    for (const d of made) writeFileSync(join(d, "cgroup.procs"), String(pid));
    child.stdin?.write("go\n");

    const registry = createRegistry();
    const target = cgroupTargetForPid(pid, { name: "busy", image: "node" }, {}, layout);
    const cg = new CgroupMonitor(registry, { targets: () => [target] });
    const own = new SelfCgroupMonitor(registry, { pid, id: "busy.self" });
    // Truth: the kernel's own per-process CPU accounting of the only process in the cgroup.
    const cpuOf = () => parsePidStat(readFileSync(`/proc/${pid}/stat`, "latin1")).cpuSeconds;
    await sleep(300);
    const t0 = performance.now();
    const c0 = cpuOf();
    await cg.update();
    own.update();
    await sleep(1500);
    await cg.update();
    own.update();
    const truth = ((cpuOf() - c0) / ((performance.now() - t0) / 1000) / 0.5) * 100;
    const s = registry.snapshot();
    const labels = { name: "busy" };
    assert.equal(findValue(s, "container_spec_memory_limit_bytes", labels), 256 * 1024 * 1024);
    assert.equal(findValue(s, "container_spec_cpu_quota", labels), 50000);
    const cpuPct = findValue(s, "headroom_container_cpu_usage_percent", labels) ?? 0;
    // A spinning process uses up to its whole half-core quota (less when the host is busy).
    assert.ok(Math.abs(cpuPct - truth) < 8, `cgroup CPU ${cpuPct}% of quota, truth ${truth}%`);
    assert.ok(cpuPct <= 105, `cgroup CPU ${cpuPct}% cannot exceed the quota`);
    if (cpuPct > 95) {
      // Only a process that reaches its quota is throttled; on a busy host it may not.
      assert.ok((findValue(s, "container_cpu_cfs_throttled_periods_total", labels) ?? 0) > 0, "throttled");
    }
    assert.notEqual(findValue(s, "container_cpu_cfs_periods_total", labels), undefined);
    assert.ok((findValue(s, "container_memory_working_set_bytes", labels) ?? 0) > 1024 * 1024);

    const view = own.getEffectiveView();
    assert.equal(view?.cpuCores, 0.5);
    assert.equal(view?.memoryBytes, 256 * 1024 * 1024);
    assert.ok((view?.hostMemoryBytes ?? 0) > 256 * 1024 * 1024);
    const selfPct = view?.cpuUsagePercent ?? 0;
    assert.ok(Math.abs(selfPct - truth) < 8, `own view CPU ${selfPct}% of effective cores, truth ${truth}%`);
    assert.equal(own.getUsageReport().totalCapacityBytes, 256 * 1024 * 1024);
    const limit = Math.max(1, selfPct - 20);
    assert.equal(
      checkResourceLimits({ maxCpuUsagePercent: limit }, own.effectiveUsage())?.data?.what,
      "CPU usage",
    );
  });
});

describe("a real Podman API service running a real container", () => {
  const work = tempDir("podman");
  const conf = join(work, "containers.conf");
  const sock = join(work, "api.sock");
  const base = ["--root", join(work, "root"), "--runroot", join(work, "runroot")];
  const env = { ...process.env, CONTAINERS_CONF: conf };
  let service: ChildProcess | undefined;
  let containerId = "";

  const podman = (...args: string[]) =>
    execFileSync("podman", [...base, ...args], { env, encoding: "utf8" }).trim();

  before(async () => {
    spawnSync("bash", ["test/peers/install.sh"], { stdio: "inherit" });
    writeFileSync(
      conf,
      '[containers]\ndefault_ulimits=["nofile=20000:20000","nproc=32768:32768"]\n[engine]\nruntime="runc"\ncgroup_manager="cgroupfs"\nevents_logger="file"\n',
    );
    // An image from busybox-static: no registry is reachable.
    const img = join(work, "img");
    mkdirSync(join(img, "bin"), { recursive: true });
    mkdirSync(join(img, "etc"));
    execFileSync("cp", ["/bin/busybox", join(img, "bin", "busybox")]);
    for (const a of ["sh", "sleep"]) symlinkSync("busybox", join(img, "bin", a));
    writeFileSync(join(img, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    execFileSync("sh", ["-c", `tar -C '${img}' -c . | podman ${base.join(" ")} import - local/headroom-bb`], {
      env,
    });
    containerId = podman(
      "run",
      "-d",
      "--name",
      "headroom-web",
      "--network=none",
      "local/headroom-bb",
      "sleep",
      "300",
    );
    podman("create", "--name", "headroom-stopped", "--network=none", "local/headroom-bb", "sleep", "1");
    service = spawn("podman", [...base, "system", "service", "--time=0", `unix://${sock}`], {
      env,
      stdio: "ignore",
    });
    const client = createDockerClient({ socketPath: sock, timeoutMs: 2000 });
    await eventually(async () => ((await client.ping().catch(() => false)) ? true : undefined), 20000);
  });

  after(async () => {
    if (service && service.exitCode === null) {
      service.kill("SIGTERM");
      await new Promise((r) => service?.once("exit", r));
    }
    try {
      podman("rm", "-f", "-t", "0", "headroom-web", "headroom-stopped");
    } catch {
      // already gone
    }
    // Podman's storage keeps its overlay mount after the last container is gone.
    for (const m of ["root/overlay", "runroot"])
      spawnSync("umount", ["-l", join(work, m)], { stdio: "ignore" });
    rmSync(work, { recursive: true, force: true });
  });

  it("lists the containers with names, images and states, and reads the running one's cgroup", async () => {
    const client = createDockerClient({ socketPath: sock });
    const list = await client.listContainers();
    const web = list.find((c) => c.name === "headroom-web");
    assert.equal(web?.id, containerId);
    assert.equal(web?.state, "running");
    assert.match(web?.image ?? "", /headroom-bb/);
    assert.ok(list.some((c) => c.name === "headroom-stopped" && c.state !== "running"));

    const registry = createRegistry();
    const mon = createContainerMonitor(registry, { socketPath: sock });
    await mon.update();
    await sleep(1100);
    await mon.update();
    const m = mon.getContainerMetrics();
    assert.equal(m?.totalContainers, 2);
    assert.equal(m?.runningContainers, 1);
    assert.equal(m?.stoppedContainers, 1);
    const detail = m?.containerDetails.find((d) => d.containerName === "headroom-web");
    assert.ok((detail?.memoryUsageBytes ?? 0) > 0);
    assert.ok(
      detail?.cpuUsagePercent !== undefined && detail.cpuUsagePercent >= 0 && detail.cpuUsagePercent < 5,
    );
    assert.deepEqual(mon.lastErrors(), []);
    const s = registry.snapshot();
    assert.ok(
      (findValue(s, "container_memory_usage_bytes", { name: "headroom-web" }) ?? 0) > 0,
      "cgroup read",
    );
    assert.ok(existsSync(`/proc/${await client.containerPid(containerId)}`));
  });

  it("streams stats, so CPU percent comes from consecutive samples", async () => {
    const client = createDockerClient({ socketPath: sock });
    const samples = await client.streamStats(containerId, 2);
    assert.equal(samples.length, 2);
    assert.ok(samples[1].cpuTotalNs >= samples[0].cpuTotalNs);
    const pct = cpuPercentBetween(samples[0], samples[1]);
    assert.ok(pct !== undefined && pct >= 0 && pct < 5, `sleeping container at ${pct}%`);
  });

  it("a monitor pointed at a socket nobody listens on fails its update without crashing", async () => {
    const mon = createContainerMonitor(createRegistry(), { socketPath: join(work, "none.sock") });
    await assert.rejects(mon.update(), /cannot reach the Docker API/);
  });
});
