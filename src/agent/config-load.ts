/**
 * Reading the agent's configuration: TOML or JSON from a file (or nothing: embedded defaults),
 * `${VAR}` interpolation and HEADROOM_* environment overrides for secrets, then the schema.
 * Errors name the file, the key path as the file spells it, and what was expected; unknown keys
 * are warnings (with a suggestion when they look like a typo), never fatal, so an old agent
 * still starts on a newer file.
 */
import { readFileSync } from "node:fs";
import { parse as parseToml, TomlError } from "smol-toml";
import type { z } from "zod";
import { ErrorCode, HeadroomError } from "../errors.js";
import { camelize, deletePath, displayPath, knownKeysAt } from "./config-paths.js";
import { type AgentConfig, configSchema } from "./config-schema.js";
import { suggest } from "./suggest.js";

export interface LoadedConfig {
  readonly config: AgentConfig;
  /** Unknown keys and other non-fatal findings, one line each, ready to log. */
  readonly warnings: readonly string[];
  /** The file read, or undefined for embedded defaults. */
  readonly file: string | undefined;
}

export interface LoadOptions {
  /** Environment for `${VAR}` and HEADROOM_* overrides; defaults to an empty one (pure). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Reads and validates `file` (TOML unless it ends in `.json`); undefined means embedded defaults. */
export function loadConfig(file: string | undefined, options: LoadOptions = {}): LoadedConfig {
  if (file === undefined) return parseConfig("{}", "json", undefined, options);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code;
    throw new HeadroomError(ErrorCode.Config, `[config] cannot read ${file}: ${why}`, {
      data: { file, code },
      cause: err,
    });
  }
  return parseConfig(text, file.endsWith(".json") ? "json" : "toml", file, options);
}

/** Parses config text already in memory; `file` only labels messages. */
export function parseConfig(
  text: string,
  format: "toml" | "json",
  file: string | undefined,
  options: LoadOptions = {},
): LoadedConfig {
  const where = file ?? "<defaults>";
  const env = options.env ?? {};
  let raw: unknown;
  try {
    raw = format === "json" ? JSON.parse(text) : parseToml(seedCompatibleToml(text));
  } catch (err) {
    const pos = err instanceof TomlError ? `:${err.line}:${err.column}` : "";
    const first = (err as Error).message.split("\n")[0];
    throw new HeadroomError(
      ErrorCode.Parse,
      `[config] ${where}${pos}: not valid ${format.toUpperCase()}: ${first}`,
      {
        data: { file },
        cause: err,
      },
    );
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new HeadroomError(ErrorCode.Config, `[config] ${where}: expected a table/object at the top level`);
  }
  const original = raw as Record<string, unknown>;
  // The seed nests everything under [cleanroom.monitoring]; accept that spelling as is.
  const hoisted = isRecord(original.cleanroom)
    ? { ...original, ...original.cleanroom, cleanroom: undefined }
    : original;
  const problems: string[] = [];
  const input = camelize(interpolate(hoisted, env, [], problems)) as Record<string, unknown>;
  foldSeedExporterType(input);
  applyEnvOverrides(input, env);
  if (problems.length > 0) fail(where, problems);

  const warnings: string[] = [];
  let result = configSchema.safeParse(input, { reportInput: true });
  if (!result.success) {
    const unknown = result.error.issues.filter((i) => i.code === "unrecognized_keys");
    for (const issue of unknown) {
      for (const key of issue.keys) {
        const path = [...issue.path, key] as PropertyKey[];
        const known = knownKeysAt(configSchema, issue.path as PropertyKey[]);
        const hint = suggest(key, known.map(snake));
        warnings.push(
          `[config] ${where}: unknown key ${displayPath(path, hoisted)}${hint ? ` (did you mean "${hint}"?)` : ""}`,
        );
        deletePath(input, path);
      }
    }
    result = configSchema.safeParse(input, { reportInput: true });
    if (!result.success)
      fail(
        where,
        result.error.issues.map((i) => describe(i, hoisted)),
      );
  }
  const config = result.data;
  const open = checkExposure(config, where);
  if (open) warnings.push(open);
  return { config, warnings, file };
}

/**
 * Refuses a non-loopback address without auth unless `server.allow_open` says so; returns the
 * loud warning for an allowed open server, else undefined. Called again after CLI flags apply.
 */
export function checkExposure(config: AgentConfig, where: string): string | undefined {
  const { address } = config.server;
  const open =
    config.server.enabled &&
    !isLoopback(address) &&
    !config.server.auth.token &&
    !config.server.auth.password;
  if (open && !config.server.allowOpen) {
    fail(where, [
      `server.address: "${address}" is reachable from other hosts; set server.auth.token (or HEADROOM_TOKEN), or server.allow_open = true to serve without auth`,
    ]);
  }
  return open
    ? `[config] ${where}: server on ${address} has NO authentication (server.allow_open = true)`
    : undefined;
}

export function isLoopback(address: string): boolean {
  return address === "localhost" || address === "::1" || address.startsWith("127.");
}

function fail(where: string, problems: string[]): never {
  throw new HeadroomError(ErrorCode.Config, `[config] ${where}: ${problems.join("; ")}`, {
    data: { file: where, problems },
  });
}

function describe(issue: z.core.$ZodIssue, original: unknown): string {
  const path = displayPath(issue.path as PropertyKey[], original);
  let message = issue.message;
  if (issue.code === "invalid_type") message = `expected ${issue.expected}${receivedSuffix(issue.input)}`;
  if (issue.code === "invalid_value")
    message = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}${receivedSuffix(issue.input)}`;
  return `${path || "(top level)"}: ${message}`;
}

function receivedSuffix(input: unknown): string {
  return input === undefined ? ", got nothing" : `, got ${JSON.stringify(input)}`;
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The seed's examples are not strict TOML: durations are bare (`collection_interval = 30s`) and
 * `[x.exporters]` precedes `[[x.exporters]]`. Quote the first and drop the second so those
 * examples load unchanged; strict TOML passes through untouched.
 */
export function seedCompatibleToml(text: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const table = /^\s*\[([A-Za-z0-9_.]+)\]\s*$/.exec(line);
    const next = lines.slice(i + 1).find((l) => l.trim() !== "");
    if (table && next?.trim() === `[[${table[1]}]]`) continue;
    out.push(
      line.replace(
        /^(\s*[A-Za-z0-9_-]+\s*=\s*)(\d+(?:\.\d+)?(?:ms|s|m|h|d|w)(?:\d+(?:ms|s|m|h|d|w))*)(\s*(?:#.*)?)$/,
        '$1"$2"$3',
      ),
    );
  }
  return out.join("\n");
}

/** `${VAR}` in any string value is replaced from the environment; a missing variable is an error. */
function interpolate(
  node: unknown,
  env: LoadOptions["env"] & object,
  path: string[],
  problems: string[],
): unknown {
  if (typeof node === "string") {
    return node.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const value = env[name];
      if (value === undefined) problems.push(`${path.join(".")}: environment variable ${name} is not set`);
      return value ?? "";
    });
  }
  if (Array.isArray(node)) return node.map((v, i) => interpolate(v, env, [...path, String(i)], problems));
  if (isRecord(node)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node))
      if (v !== undefined) out[k] = interpolate(v, env, [...path, k], problems);
    return out;
  }
  return node;
}

function foldSeedExporterType(input: Record<string, unknown>): void {
  const monitoring = input.monitoring;
  if (!isRecord(monitoring) || !Array.isArray(monitoring.exporters)) return;
  for (const e of monitoring.exporters) {
    if (!isRecord(e)) continue;
    if (e.type === undefined && e.exporterType !== undefined) {
      e.type = e.exporterType;
      delete e.exporterType;
    }
    if (typeof e.type === "string") e.type = e.type.toLowerCase();
  }
}

function ensure(obj: Record<string, unknown>, key: string): Record<string, unknown> {
  if (!isRecord(obj[key])) obj[key] = {};
  return obj[key] as Record<string, unknown>;
}

/**
 * Secrets and the few settings an operator changes per host come from the environment and win
 * over the file: HEADROOM_TOKEN, HEADROOM_USERNAME/PASSWORD, HEADROOM_ADDRESS, HEADROOM_PORT,
 * HEADROOM_DATA_DIR, HEADROOM_LOG_LEVEL, HEADROOM_EXPORTER_<NAME>_{USERNAME,PASSWORD,TOKEN}.
 */
function applyEnvOverrides(input: Record<string, unknown>, env: NonNullable<LoadOptions["env"]>): void {
  const server = () => ensure(input, "server");
  if (env.HEADROOM_TOKEN) ensure(server(), "auth").token = env.HEADROOM_TOKEN;
  if (env.HEADROOM_USERNAME) ensure(server(), "auth").username = env.HEADROOM_USERNAME;
  if (env.HEADROOM_PASSWORD) ensure(server(), "auth").password = env.HEADROOM_PASSWORD;
  if (env.HEADROOM_ADDRESS) server().address = env.HEADROOM_ADDRESS;
  if (env.HEADROOM_PORT)
    server().port = /^\d+$/.test(env.HEADROOM_PORT) ? Number(env.HEADROOM_PORT) : env.HEADROOM_PORT;
  if (env.HEADROOM_DATA_DIR) ensure(input, "history").path = env.HEADROOM_DATA_DIR;
  if (env.HEADROOM_LOG_LEVEL) ensure(input, "log").level = env.HEADROOM_LOG_LEVEL;
  const monitoring = input.monitoring;
  if (!isRecord(monitoring) || !Array.isArray(monitoring.exporters)) return;
  for (const e of monitoring.exporters) {
    if (!isRecord(e) || typeof e.name !== "string") continue;
    const prefix = `HEADROOM_EXPORTER_${e.name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_`;
    for (const field of ["username", "password", "token"] as const) {
      const value = env[prefix + field.toUpperCase()];
      if (value) ensure(e, "credentials")[field] = value;
    }
  }
}
