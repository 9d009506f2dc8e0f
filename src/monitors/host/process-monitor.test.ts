import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createRegistry } from "../../metrics/registry.js";
import { findValue } from "../../metrics/snapshot.js";
import { ProcessMonitor } from "./process-monitor.js";

function pid(root: string, n: number, comm: string, ticks: number, rssPages: number, threads = 1): void {
  mkdirSync(join(root, String(n)), { recursive: true });
  const stat = `${n} (${comm}) S 1 ${n} ${n} 0 -1 0 0 0 0 0 ${ticks} 0 0 0 20 0 ${threads} 0 100 1000 ${rssPages} 0\n`;
  writeFileSync(join(root, String(n), "stat"), stat);
  writeFileSync(join(root, String(n), "statm"), `100 ${rssPages} 1 1 0 1 0\n`);
  writeFileSync(
    join(root, String(n), "status"),
    `Name:\t${comm}\nVmRSS:\t${rssPages * 4} kB\nThreads:\t${threads}\n`,
  );
}

test("top processes by CPU and memory; exited and garbled pids are skipped", async () => {
  const root = mkdtempSync(join(tmpdir(), "headroom-proc-"));
  try {
    pid(root, 10, "busy (worker)", 100, 10);
    pid(root, 11, "fat", 0, 5000, 4);
    pid(root, 12, "idle", 0, 1);
    mkdirSync(join(root, "13")); // exited: directory listed, stat gone
    mkdirSync(join(root, "14"));
    writeFileSync(join(root, "14", "stat"), "garbage");
    mkdirSync(join(root, "self"));
    const registry = createRegistry();
    const m = new ProcessMonitor(registry, { roots: { procfs: root }, topN: 2 });
    m.update();
    pid(root, 10, "busy (worker)", 150, 10); // +0.5 CPU s
    await new Promise((r) => setTimeout(r, 50));
    m.update();
    const top = m.topByCpu();
    assert.equal(top[0].pid, 10);
    assert.equal(top[0].name, "busy (worker)");
    assert.ok(top[0].cpuRatio > 1 && top[0].cpuRatio <= 10, `ratio ${top[0].cpuRatio}`);
    assert.equal(m.topByMemory()[0].pid, 11);
    assert.equal(m.topByMemory()[0].rssBytes, 5000 * 4096);
    const s = registry.snapshot();
    assert.equal(findValue(s, "headroom_process_threads", { pid: "11" }), 4);
    assert.equal(findValue(s, "node_processes_pids"), 3);
    assert.equal(findValue(s, "node_processes_state", { state: "S" }), 3);
    assert.equal(findValue(s, "headroom_process_cpu_ratio", { pid: "12" }), undefined, "not in a top list");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a pid reused by a new process does not inherit the old CPU time", () => {
  const root = mkdtempSync(join(tmpdir(), "headroom-proc-"));
  try {
    pid(root, 20, "old", 5000, 1);
    const m = new ProcessMonitor(createRegistry(), { roots: { procfs: root } });
    m.update();
    const stat = `20 (new) R 1 20 20 0 -1 0 0 0 0 0 10 0 0 0 20 0 1 0 999 1000 1 0\n`;
    writeFileSync(join(root, "20", "stat"), stat);
    m.update();
    assert.equal(m.topByCpu()[0].cpuRatio, 0);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
