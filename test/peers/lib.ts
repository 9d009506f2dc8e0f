/**
 * Starting real peers (PEERS.md) for the interop suite: each on 127.0.0.1, on a free port,
 * with its data in a temp dir, waited for by its ready probe and stopped by PID.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `headroom-${prefix}-`));
}

export interface Peer {
  readonly process: ChildProcess;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** Spawns `command` and resolves once `readyUrl` answers with a 2xx (or rejects after timeoutMs). */
export async function startPeer(
  command: string,
  args: string[],
  readyUrl: string,
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cleanup?: string[] } = {},
): Promise<Peer> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: options.env ?? process.env });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  const stop = async () => {
    if (!exited && child.pid) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await new Promise((r) => child.once("exit", r));
      clearTimeout(killer);
    }
    for (const dir of options.cleanup ?? []) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(readyUrl, options.timeoutMs ?? 30000, () => exited);
  } catch (err) {
    await stop();
    throw new Error(`${command} did not become ready at ${readyUrl}: ${(err as Error).message}\n${log}`);
  }
  return { process: child, output: () => log, stop };
}

/** Polls `url` until it answers 2xx. */
export async function waitForHttp(url: string, timeoutMs: number, gaveUp: () => boolean = () => false) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (gaveUp()) throw new Error("process exited");
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out (${last})`);
}

/** Polls `fn` until it returns a value other than undefined. */
export async function eventually<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs = 15000,
  stepMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
