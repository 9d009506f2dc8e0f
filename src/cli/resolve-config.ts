/**
 * Which config a command runs on: `--config F`, else HEADROOM_CONFIG, else
 * `$XDG_CONFIG_HOME/headroom/headroom.toml` when it exists, else the embedded defaults; then
 * the command-line flags (`--port`, `--data`, `--address`) on top.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { checkExposure, type LoadedConfig, loadConfig } from "../agent/config-load.js";
import { ErrorCode, HeadroomError } from "../errors.js";

export interface ConfigFlags {
  config?: string;
  port?: string;
  data?: string;
  address?: string;
  /** node_exporter's `--path.procfs`, `--path.sysfs`, `--path.rootfs` (commander camel-cases them). */
  "path.procfs"?: string;
  "path.sysfs"?: string;
  "path.rootfs"?: string;
}

export function defaultConfigFile(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.HEADROOM_CONFIG) return env.HEADROOM_CONFIG;
  const base = env.XDG_CONFIG_HOME?.startsWith("/") ? env.XDG_CONFIG_HOME : join(homedir(), ".config");
  const file = join(base, "headroom", "headroom.toml");
  return existsSync(file) ? file : undefined;
}

export function resolveConfig(
  flags: ConfigFlags,
  env: Readonly<Record<string, string | undefined>>,
): LoadedConfig {
  const file = flags.config ?? defaultConfigFile(env);
  const loaded = loadConfig(file, { env });
  const config = structuredClone(loaded.config);
  if (flags.port !== undefined) {
    if (!/^\d{1,5}$/.test(flags.port) || Number(flags.port) > 65535) {
      throw new HeadroomError(ErrorCode.Config, `[cli] --port: expected 0 to 65535, got "${flags.port}"`);
    }
    config.server.port = Number(flags.port);
  }
  if (flags.address !== undefined) config.server.address = flags.address;
  if (flags.data !== undefined) config.history.path = flags.data;
  if (flags["path.procfs"] !== undefined) config.path.procfs = flags["path.procfs"];
  if (flags["path.sysfs"] !== undefined) config.path.sysfs = flags["path.sysfs"];
  if (flags["path.rootfs"] !== undefined) config.path.rootfs = flags["path.rootfs"];
  if (flags.address !== undefined) checkExposure(config, "--address");
  return { ...loaded, config };
}

/** The agent's base URL as a client on this host reaches it. */
export function agentUrl(loaded: LoadedConfig): string {
  const { address, port, tls } = loaded.config.server;
  const host =
    address === "0.0.0.0" || address === "::"
      ? "127.0.0.1"
      : address.includes(":")
        ? `[${address}]`
        : address;
  return `${tls ? "https" : "http"}://${host}:${port}`;
}
