/**
 * `headroom top`: a live view of a running agent, redrawn in place every interval. Keys: q or
 * Ctrl-C quits, c/m/n sort by CPU, memory or name. When stdout is not a terminal it prints
 * one plain frame (two samples apart) and exits, so it can be piped or logged.
 */
import type { MetricsSnapshot } from "../../metrics/snapshot.js";
import type { AlertView } from "../../server/sources.js";
import type { ApiClient } from "../api-client.js";
import type { CliIo } from "../io.js";
import { renderTop, type TopSort } from "./top-render.js";

export async function runTop(flags: { interval: string }, client: ApiClient, io: CliIo): Promise<number> {
  const intervalMs = Math.max(250, Number(flags.interval) * 1000 || 2000);
  const fetchAlerts = async () => {
    try {
      return (await client.get<{ alerts: AlertView[] }>("/api/v1/alerts")).alerts;
    } catch {
      return [];
    }
  };
  let prev = await client.get<MetricsSnapshot>("/api/v1/snapshot");
  if (!io.isTty) {
    // Wait for the agent's next tick (rates need two different samples), at most 30 s.
    let cur = prev;
    for (let waited = 0; cur.timestampMs === prev.timestampMs && waited < 30_000; waited += intervalMs) {
      await new Promise((r) => setTimeout(r, intervalMs));
      cur = await client.get<MetricsSnapshot>("/api/v1/snapshot");
    }
    io.out(renderTop(prev, cur, await fetchAlerts(), "cpu", io.style));
    return 0;
  }
  let sort: TopSort = "cpu";
  let quit: () => void = () => {};
  const done = new Promise<void>((r) => {
    quit = r;
  });
  const stdin = process.stdin;
  const onKey = (key: Buffer) => {
    const k = key.toString();
    if (k === "q" || k === "\u0003") quit();
    if (k === "c") sort = "cpu";
    if (k === "m") sort = "memory";
    if (k === "n") sort = "name";
  };
  if (stdin.isTTY) {
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onKey);
  }
  io.out("\x1b[?1049h\x1b[?25l");
  try {
    while (true) {
      const stopped = await Promise.race([
        done.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), intervalMs)),
      ]);
      if (stopped) break;
      const cur = await client.get<MetricsSnapshot>("/api/v1/snapshot");
      io.out(`\x1b[H\x1b[2J${renderTop(prev, cur, await fetchAlerts(), sort, io.style)}`);
      prev = cur;
    }
  } finally {
    io.out("\x1b[?25h\x1b[?1049l");
    if (stdin.isTTY) {
      stdin.off("data", onKey);
      stdin.setRawMode(false);
      stdin.pause();
    }
  }
  return 0;
}
