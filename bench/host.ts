/**
 * `npm run bench -- host`: the cost of reading a Linux host, against systeminformation (the
 * package a Node user picks today) measured in the same run, and node_exporter for the idle
 * footprint.
 *
 * - host.sample: CPU ms for one full sample (CPU, memory, load, disks, filesystems, network,
 *   system, all processes). systeminformation's equivalent calls spawn child processes, so its
 *   CPU counts the children too (cutime + cstime of this process).
 * - process.per100 / process.per500: CPU µs per process for one process-table walk with ~100
 *   and ~500 processes on the host (sleepers spawned to get there).
 * - monitor.idle.cpu / monitor.idle.rss: every host monitor at a 1 s interval (plus a Prometheus
 *   encode of the registry each second) in its own process for 60 s, against node_exporter
 *   scraped every second over the same minute.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRegistry } from "../src/metrics/registry.js";
import { createHostMonitors } from "../src/monitors/host/create-host-monitors.js";
import { ProcessMonitor } from "../src/monitors/host/process-monitor.js";
import { type BenchResult, lowerIsBetter, median } from "./lib.js";

const IDLE_SECONDS = Number(process.env.HEADROOM_BENCH_IDLE_SECONDS ?? 60);

/** Own CPU plus waited-for children's, in ms (children from /proc/self/stat, 10 ms ticks). */
function cpuMs(): number {
  const u = process.cpuUsage();
  const text = readFileSync("/proc/self/stat", "latin1");
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const children = (Number(f[13]) + Number(f[14])) * 10; // cutime, cstime: fields 16, 17
  return (u.user + u.system) / 1000 + children;
}

function procCpuSeconds(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, "latin1");
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "latin1"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

function processCount(): number {
  let n = 0;
  for (const name of readdirSync("/proc")) if (/^\d+$/.test(name)) n++;
  return n;
}

/**
 * Mean CPU ms per call of a systeminformation call set. Calls are spaced by more than its
 * internal cache window (it returns the previous result when asked again within ~0.5 s), as a
 * monitor sampling every second would call it.
 */
async function cpuPerCall(fn: () => Promise<unknown>, rounds: number): Promise<number> {
  await fn();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const c0 = cpuMs();
    await fn();
    samples.push(cpuMs() - c0);
  }
  // Children's CPU comes in 10 ms ticks: the mean is the honest figure for the peer.
  return samples.reduce((a, b) => a + b, 0) / samples.length;
}

async function hostSample(): Promise<BenchResult> {
  const registry = createRegistry();
  const monitors = createHostMonitors(registry);
  const sampleOnce = async () => {
    for (const m of monitors) await m.update();
  };
  // Many rounds: one sample is ~1 ms and process.cpuUsage has µs resolution.
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) await sampleOnce();
  for (let r = 0; r < 200; r++) {
    const c0 = process.cpuUsage();
    await sampleOnce();
    const d = process.cpuUsage(c0);
    samples.push((d.user + d.system) / 1000);
  }
  const si = await import("systeminformation");
  const peer = await cpuPerCall(
    () =>
      Promise.all([si.currentLoad(), si.mem(), si.fsSize(), si.disksIO(), si.networkStats(), si.processes()]),
    5,
  );
  for (const m of monitors) await m.close?.();
  return lowerIsBetter("host.sample", "cpu ms", median(samples), "systeminformation", peer);
}

async function withProcesses<T>(target: number, fn: (count: number) => Promise<T>): Promise<T> {
  const sleepers: ChildProcess[] = [];
  const need = Math.max(0, target - processCount());
  for (let i = 0; i < need; i++) sleepers.push(spawn("sleep", ["600"], { stdio: "ignore" }));
  await new Promise((r) => setTimeout(r, 500));
  try {
    return await fn(processCount());
  } finally {
    for (const s of sleepers) s.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function perProcess(target: number): Promise<BenchResult> {
  return withProcesses(target, async (count) => {
    const mon = new ProcessMonitor(createRegistry());
    const samples: number[] = [];
    mon.update();
    for (let r = 0; r < 50; r++) {
      const c0 = process.cpuUsage();
      mon.update();
      const d = process.cpuUsage(c0);
      samples.push((d.user + d.system) / count);
    }
    const si = await import("systeminformation");
    const peerMs = await cpuPerCall(() => si.processes(), 5);
    return lowerIsBetter(
      `process.per${target}`,
      "cpu µs/process",
      median(samples),
      "systeminformation",
      (peerMs * 1000) / count,
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

/** Bundles a tiny agent (host monitors + scheduler at 1 s + an encode per second) to plain JS. */
async function buildIdleAgent(): Promise<string> {
  const { build } = await import("esbuild");
  const out = join(tmpdir(), `headroom-idle-${process.pid}.mjs`);
  await build({
    stdin: {
      contents: `
        import { createRegistry } from "./src/metrics/registry.ts";
        import { encodePrometheusText } from "./src/expose/prometheus-text.ts";
        import { createMonitorRegistry } from "./src/monitors/monitor-registry.ts";
        import { createMonitorScheduler } from "./src/monitors/scheduler.ts";
        import { createHostMonitors } from "./src/monitors/host/create-host-monitors.ts";
        const registry = createRegistry();
        const monitors = createMonitorRegistry();
        for (const m of createHostMonitors(registry)) monitors.registerResourceMonitor(m);
        createMonitorScheduler(monitors, { intervalMs: 1000, metrics: registry }).start();
        setInterval(() => encodePrometheusText(registry.snapshot()), 1000);
      `,
      resolveDir: process.cwd(),
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: out,
    logLevel: "error",
  });
  return out;
}

async function idle(): Promise<BenchResult[]> {
  const script = await buildIdleAgent();
  const port = await freePort();
  const agent = spawn(process.execPath, [script], { stdio: "ignore" });
  const ne = spawn(
    "prometheus-node-exporter",
    [`--web.listen-address=127.0.0.1:${port}`, "--no-collector.systemd"],
    { stdio: "ignore" },
  );
  const scraper = setInterval(() => {
    fetch(`http://127.0.0.1:${port}/metrics`).then(
      (r) => r.arrayBuffer(),
      () => undefined,
    );
  }, 1000);
  try {
    await new Promise((r) => setTimeout(r, 5000)); // warm-up: first samples, JIT, first scrapes
    const a0 = procCpuSeconds(agent.pid as number);
    const n0 = procCpuSeconds(ne.pid as number);
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const agentCpu = ((procCpuSeconds(agent.pid as number) - a0) / IDLE_SECONDS) * 100;
    const neCpu = ((procCpuSeconds(ne.pid as number) - n0) / IDLE_SECONDS) * 100;
    return [
      lowerIsBetter("monitor.idle.cpu", "% of one core", agentCpu, "node_exporter", neCpu),
      lowerIsBetter(
        "monitor.idle.rss",
        "MB",
        rssMb(agent.pid as number),
        "node_exporter",
        rssMb(ne.pid as number),
      ),
    ];
  } finally {
    clearInterval(scraper);
    agent.kill();
    ne.kill();
    rmSync(script, { force: true });
  }
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  results.push(await hostSample());
  results.push(await perProcess(100));
  results.push(await perProcess(500));
  results.push(...(await idle()));
  return results;
}
