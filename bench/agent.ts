/**
 * The agent's own cost and its serving speed (issue 9):
 *   agent.cpu1s / agent.rss1s  steady-state CPU (% of one core) and RSS (MB) over a window after
 *                              a 60 s warm-up, default settings at a 1 s interval (targets: < 1 %,
 *                              < 100 MB)
 *   agent.cpu5s / agent.rss5s  the same at 5 s
 *   metrics.rps                /metrics requests per second from a second process on loopback
 *   dashboard.firstChart       ms from navigation to the first chart with data, in Chromium
 * The agent runs as its own process from an esbuild bundle of src/cli/main.ts (node_modules
 * left external), so tsx's loader is not counted. BENCH_AGENT_SECONDS shortens the window
 * (default 60).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { type BenchResult, higherIsBetter, lowerIsBetter, median } from "./lib.js";

const WINDOW_S = Number(process.env.BENCH_AGENT_SECONDS ?? 60);
/**
 * Code that runs once per tick is optimised by V8 only after some dozens of calls, so the
 * first minute at 1 s costs visibly more than the ones after it; steady state starts after.
 */
const WARM_UP_S = 60;
const TICKS_PER_S = 100; // USER_HZ on Linux

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Bundles the CLI into dist/bench-agent/ (git-ignored), two levels below the root like dist/cli,
 * and builds the dashboard it serves when a fresh clone has none yet.
 */
async function bundle(): Promise<string> {
  if (!existsSync("web/dist/index.html"))
    execFileSync(process.execPath, ["web/build.mjs"], { stdio: "inherit" });
  const outfile = "dist/bench-agent/main.mjs";
  await build({
    entryPoints: ["src/cli/main.ts"],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    packages: "external",
    outfile,
    logLevel: "warning",
  });
  return outfile;
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`agent at ${url} did not become ready`);
}

interface Running {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

async function startAgentProcess(main: string, interval: string): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), "headroom-bench-agent-"));
  const config = join(dir, "headroom.toml");
  writeFileSync(config, `[monitoring]\ncollection_interval = "${interval}"\n`);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [main, "start", "--config", config, "--port", String(port), "--data", join(dir, "data")],
    {
      stdio: "ignore",
      env: { ...process.env, HEADROOM_LOG_LEVEL: "warn" },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url);
  return {
    child,
    url,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CPU percent of one core and median RSS over the window, after the warm-up. */
async function steadyState(main: string, interval: string): Promise<{ cpu: number; rss: number }> {
  const agent = await startAgentProcess(main, interval);
  try {
    const pid = agent.child.pid!;
    await new Promise((r) => setTimeout(r, WARM_UP_S * 1000));
    const t0 = cpuTicks(pid);
    const start = performance.now();
    const rss: number[] = [];
    while (performance.now() - start < WINDOW_S * 1000) {
      await new Promise((r) => setTimeout(r, 1000));
      rss.push(rssMb(pid));
    }
    const seconds = (performance.now() - start) / 1000;
    const cpu = ((cpuTicks(pid) - t0) / TICKS_PER_S / seconds) * 100;
    return { cpu, rss: median(rss) };
  } finally {
    await agent.stop();
  }
}

/** A second process fetching /metrics with 4 connections (the default scrape limit) for 10 s. */
const LOAD_SCRIPT = `
const url = process.argv[1]; const end = Date.now() + 10000; let ok = 0, other = 0;
async function worker() { while (Date.now() < end) { const r = await fetch(url); await r.arrayBuffer(); if (r.status === 200) ok++; else other++; } }
const t = Date.now(); await Promise.all([worker(), worker(), worker(), worker()]);
console.log(JSON.stringify({ ok, other, seconds: (Date.now() - t) / 1000 }));`;

async function metricsRps(main: string): Promise<number> {
  const agent = await startAgentProcess(main, "5s");
  try {
    const child = spawn(
      process.execPath,
      ["--input-type=module", "-e", LOAD_SCRIPT, `${agent.url}/metrics`],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout?.on("data", (c) => {
      out += c;
    });
    await new Promise((r) => child.once("exit", r));
    const { ok, seconds } = JSON.parse(out) as { ok: number; seconds: number };
    return ok / seconds;
  } finally {
    await agent.stop();
  }
}

async function firstChart(main: string): Promise<number> {
  const agent = await startAgentProcess(main, "1s");
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await browser.newPage();
      await page.goto(`${agent.url}/`);
      await page.waitForFunction(() => document.body.dataset.firstChartMs !== undefined, null, {
        timeout: 30_000,
      });
      samples.push(Number(await page.evaluate(() => document.body.dataset.firstChartMs)));
      await page.close();
    }
    return median(samples);
  } finally {
    await browser.close();
    await agent.stop();
  }
}

export async function run(): Promise<BenchResult[]> {
  const main = await bundle();
  const one = await steadyState(main, "1s");
  const five = await steadyState(main, "5s");
  const rps = await metricsRps(main);
  const chart = await firstChart(main);
  return [
    lowerIsBetter("agent.cpu1s", "% of one core", one.cpu),
    lowerIsBetter("agent.rss1s", "MB", one.rss),
    lowerIsBetter("agent.cpu5s", "% of one core", five.cpu),
    lowerIsBetter("agent.rss5s", "MB", five.rss),
    higherIsBetter("metrics.rps", "req/s", rps),
    lowerIsBetter("dashboard.firstChart", "ms", chart),
  ];
}
