/**
 * `headroom start` as a real process: it serves on the given port with history in the given
 * data directory, survives a bad SIGHUP reload (keeping the old config and saying why), shuts
 * down cleanly on SIGTERM, and fails with a clear message on a port in use or a data directory
 * that cannot be written.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const MAIN = join(import.meta.dirname, "../../src/cli/main.ts");

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (c) => {
    out += c;
  });
  child.stderr?.on("data", (c) => {
    out += c;
  });
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, exit };
}

async function until(fn: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 150));
  }
}

test("start, SIGHUP with a bad config, SIGTERM; port in use; unwritable data dir", {
  timeout: 90_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "headroom-cli-proc-"));
  const data = join(dir, "data");
  const config = join(dir, "headroom.toml");
  writeFileSync(config, '[monitoring]\ncollection_interval = "1s"\n[monitors.gpu]\nenabled = false\n');
  const port = await freePort();
  const agent = run(["start", "--config", config, "--port", String(port), "--data", data]);
  try {
    const url = `http://127.0.0.1:${port}`;
    await until(async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200).catch(
      (err) => {
        throw new Error(`agent not ready: ${agent.output()}`, { cause: err });
      },
    );
    assert.match(agent.output(), new RegExp(`headroom http://127\\.0\\.0\\.1:${port}/`));

    const second = run(["start", "--config", config, "--port", String(port), "--data", join(dir, "data2")]);
    assert.equal(await second.exit, 1);
    assert.match(second.output(), new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));

    writeFileSync(config, "[monitoring\n");
    agent.child.kill("SIGHUP");
    await until(() => agent.output().includes("reload failed, keeping the running config"));
    assert.equal((await fetch(`${url}/healthz`)).status, 200);

    agent.child.kill("SIGTERM");
    assert.equal(await agent.exit, 0);
    assert.match(agent.output(), /"msg":"stopped"/);
    assert.ok(existsSync(join(data, "history.db")));
  } finally {
    agent.child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
  const blocked = run(["start", "--port", "0", "--data", "/dev/null/headroom"]);
  assert.equal(await blocked.exit, 1);
  assert.match(blocked.output(), /data directory \/dev\/null\/headroom is not writable \(ENOTDIR\)/);
});
