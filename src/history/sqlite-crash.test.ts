import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { openSqliteHistory } from "./sqlite-store.js";

const dir = mkdtempSync(join(tmpdir(), "headroom-history-crash-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const writer = new URL("../../test/fixtures/history/crash-writer.ts", import.meta.url).pathname;

/** Runs the writer until it has reported `flushes` flushes, then SIGKILLs it; resolves with the last flushed timestamp. */
function runAndKill(path: string, flushes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", writer, path], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let seen = 0;
    let last = 0;
    let err = "";
    let buf = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      for (const line of lines) {
        const m = /^flushed (\d+)$/.exec(line);
        if (!m) continue;
        last = Number(m[1]);
        if (++seen === flushes) child.kill("SIGKILL");
      }
    });
    child.on("exit", (_code, signal) => {
      if (signal === "SIGKILL") resolve(last);
      else reject(new Error(`writer exited without being killed: ${err}`));
    });
  });
}

test("a writer killed with SIGKILL mid-write leaves a file that opens, passes integrity_check and lost only the last flush interval", async () => {
  const path = join(dir, "crash.db");
  let previous = 0;
  for (const flushes of [7, 13]) {
    const lastFlushed = await runAndKill(path, flushes);
    assert.ok(lastFlushed > previous, "the second writer appended after the first one's data");
    previous = lastFlushed;
    assert.ok(lastFlushed > 0);
    const raw = new Database(path);
    assert.equal(raw.pragma("integrity_check", { simple: true }), "ok");
    raw.close();
    const store = openSqliteHistory({
      path,
      flushIntervalMs: 0,
      chunkSamples: 32,
      now: () => 1_700_000_000_000 + 1e12,
    });
    const series = await store.listSeries({ name: "crash_gauge" });
    assert.equal(series.length, 100);
    for (const s of series) {
      const latest = await store.latest(s);
      assert.ok(latest && latest.t >= lastFlushed, `${s.key}: latest ${latest?.t} < flushed ${lastFlushed}`);
      const all = await store.queryRange(s, { startMs: 0, endMs: latest.t });
      for (let i = 1; i < all.length; i++) assert.equal(all[i].t - all[i - 1].t, 1000, "no gap or duplicate");
    }
    await store.close();
  }
});
