/** `headroom snapshot [--json]`: one sample of everything, as a table or as JSON. */
import { startAgent } from "../../agent/agent.js";
import { createLogger } from "../../agent/logger.js";
import { seriesKey } from "../../history/series.js";
import type { MetricsSnapshot } from "../../metrics/snapshot.js";
import type { CliIo } from "../io.js";
import { type ConfigFlags, resolveConfig } from "../resolve-config.js";
import { humanValue, table } from "../style.js";

/** Takes one sample with the configured monitors, without a server or history on disk. */
export async function sampleOnce(flags: ConfigFlags, io: CliIo, ticks = 1): Promise<MetricsSnapshot[]> {
  const loaded = resolveConfig(flags, io.env);
  for (const w of loaded.warnings) io.err(`${io.style.yellow("warning")} ${w}\n`);
  const config = { ...loaded.config, server: { ...loaded.config.server, enabled: false } };
  const agent = await startAgent({ config, logger: createLogger("warn"), autoTick: false });
  const snapshots: MetricsSnapshot[] = [];
  try {
    for (let i = 0; i < ticks; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 1000));
      await agent.tick();
      snapshots.push(agent.registry.snapshot());
    }
  } finally {
    await agent.stop();
  }
  return snapshots;
}

export async function runSnapshot(flags: ConfigFlags & { json?: boolean }, io: CliIo): Promise<number> {
  const [snapshot] = await sampleOnce(flags, io);
  if (flags.json) {
    io.out(`${JSON.stringify(snapshot, null, 2)}\n`);
    return 0;
  }
  const rows: string[][] = [];
  for (const f of snapshot.families) {
    for (const s of f.series) {
      const key = seriesKey(f.name, s.labels);
      if ("value" in s) rows.push([key, f.type, humanValue(f.name, s.value)]);
      else rows.push([key, f.type, `count=${s.count} sum=${humanValue(f.name, s.sum)}`]);
    }
  }
  io.out(`${table(["series", "type", "value"], rows)}\n`);
  return 0;
}
