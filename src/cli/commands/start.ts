/** `headroom start`: run the agent until SIGINT/SIGTERM; SIGHUP reloads the config file. */
import { startAgent } from "../../agent/agent.js";
import { defaultDataDir, ensureWritableDir } from "../../agent/data-dir.js";
import { createLogger } from "../../agent/logger.js";
import type { CliIo } from "../io.js";
import { type ConfigFlags, resolveConfig } from "../resolve-config.js";

export async function runStart(flags: ConfigFlags, io: CliIo): Promise<number> {
  const loaded = resolveConfig(flags, io.env);
  const { config } = loaded;
  const log = createLogger(config.log.level);
  for (const w of loaded.warnings) log.warn(w);
  const dataDir = config.history.enabled
    ? ensureWritableDir(config.history.path ?? defaultDataDir(io.env))
    : undefined;
  const agent = await startAgent({ config, configFile: loaded.file, env: io.env, logger: log, dataDir });
  log.info(
    { config: loaded.file ?? "embedded defaults", dataDir, interval: config.monitoring.collectionInterval },
    "agent started",
  );
  if (agent.url) io.err(`headroom ${agent.url}/ (metrics at ${agent.url}/metrics)\n`);
  const onHup = () => {
    void agent.reload();
  };
  process.on("SIGHUP", onHup);
  const signal = await new Promise<string>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  log.info({ signal }, "shutting down");
  process.off("SIGHUP", onHup);
  // A second signal during a slow shutdown exits at once.
  const force = () => process.exit(1);
  process.once("SIGINT", force);
  process.once("SIGTERM", force);
  await agent.stop();
  return 0;
}
