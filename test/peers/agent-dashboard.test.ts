/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core): the agent runs
 * in-process on a free port with a fast interval; the page must draw charts from history,
 * update them from the live stream, reload them when the range changes, show an alert raised
 * here (with a hostile label value rendered as text), and produce a non-trivial screenshot.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { startAgent } from "../../src/agent/agent.js";
import { parseConfig } from "../../src/agent/config-load.js";
import { createLogger } from "../../src/agent/logger.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const HOSTILE = "<script>window.__owned=1</script>";

const CONFIG = `
[monitoring]
collection_interval = "500ms"
[[monitoring.alerting.rules]]
name = "TestPressure"
series = "test_pressure"
threshold = 1
for = "0s"
severity = "critical"
[monitors.gpu]
enabled = false
[server]
port = 0
`;

test("dashboard: charts with data that update live, range picker, alerts, escaping, screenshot", {
  timeout: 90_000,
}, async () => {
  assert.ok(existsSync(CHROMIUM), "Debian's chromium is installed by test/peers/install.sh");
  const dir = mkdtempSync(join(tmpdir(), "headroom-e2e-"));
  const webDir = join(dir, "web");
  execFileSync(process.execPath, ["web/build.mjs", "--out", webDir], { stdio: "ignore" });
  const quiet = createLogger("warn", new Writable({ write: (_c, _e, cb) => cb() }));
  const agent = await startAgent({
    config: parseConfig(CONFIG, "toml", "e2e.toml").config,
    logger: quiet,
    dashboardDir: webDir,
    autoTick: false,
    dataDir: dir,
  });
  // Older history than the live ticks, so a wider range shows more points.
  const now = Date.now();
  const old = agent.history.series("headroom_agent_resident_memory_bytes");
  for (let t = now - 3 * 3_600_000; t < now - 3_600_000; t += 60_000)
    agent.history.append(old, t, 50e6 + (t % 7) * 1e6);
  const pressure = agent.registry.gauge({
    name: "test_pressure",
    help: "Raised by the browser test.",
    labelNames: ["name"],
  });
  pressure.set({ name: HOSTILE }, 0);
  const tracked = agent.resources.tracker.track("e2e.queue", "queue");
  agent.resources.tracker.recordUsage(tracked, 3);
  await agent.tick();
  const ticker = setInterval(() => void agent.tick(), 500);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const queries: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/v1/query")) queries.push(r.url());
    });
    await page.goto(`${agent.url}/`);
    const rss = page.locator('[data-chart="agent-rss"]');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-chart="agent-rss"]')?.getAttribute("data-points")) >= 1,
      null,
      { timeout: 20_000 },
    );
    const before = Number(await rss.getAttribute("data-points"));
    // Live updates: the stream appends points without a reload.
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-chart="agent-rss"]')?.getAttribute("data-points")) > n,
      before,
      { timeout: 20_000 },
    );
    assert.ok((await page.locator('[data-chart="agent-rss"] canvas').count()) > 0);
    assert.equal(await page.locator("#status").getAttribute("data-connected"), "true");

    // The range picker reloads every chart from history over the wider range.
    const narrow = Number(await rss.getAttribute("data-points"));
    const loads = Number(await page.evaluate(() => document.body.dataset.loaded));
    await page.selectOption("#range", String(6 * 3_600_000));
    await page.waitForFunction((n) => Number(document.body.dataset.loaded) > n, loads, { timeout: 20_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.range), String(6 * 3_600_000));
    assert.ok(
      queries.some((q) => q.includes("from=-21600s")),
      "queries the 6 h range",
    );
    assert.ok(
      Number(await rss.getAttribute("data-points")) > narrow + 50,
      "older history appears in the wider range",
    );

    // An alert raised here shows up; its hostile label value is text, not markup.
    pressure.set({ name: HOSTILE }, 5);
    await page.waitForFunction(
      () => document.querySelector("#alerts")?.textContent?.includes("TestPressure"),
      null,
      { timeout: 20_000 },
    );
    assert.match((await page.locator("#alerts").textContent()) ?? "", /firing/);
    assert.ok(((await page.locator("#alerts").textContent()) ?? "").includes(HOSTILE));
    assert.equal(await page.locator("#alerts script").count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __owned?: number }).__owned), undefined);

    // Budgets with their pressure levels and the tracked resource, from the agent's own manager.
    await page.waitForFunction(
      () => document.querySelector("#tracked")?.textContent?.includes("e2e.queue"),
      null,
      {
        timeout: 20_000,
      },
    );
    assert.ok((await page.locator("#budgets tr").count()) > 1, "budget rows");
    assert.match((await page.locator("#budgets").textContent()) ?? "", /none|low|medium|high|critical/);

    const firstChartMs = Number(await page.evaluate(() => document.body.dataset.firstChartMs));
    assert.ok(firstChartMs > 0);
    mkdirSync("test-output", { recursive: true });
    const shot = join("test-output", "dashboard.png");
    await page.screenshot({ path: shot, fullPage: true });
    // A blank or error page compresses to a few KB; charts, tables and text do not.
    assert.ok(statSync(shot).size > 40_000, `screenshot is ${statSync(shot).size} bytes`);
    writeFileSync(join("test-output", "dashboard-first-chart.json"), JSON.stringify({ firstChartMs }));
    assert.deepEqual(errors, []);
  } finally {
    clearInterval(ticker);
    await browser.close();
    await agent.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
