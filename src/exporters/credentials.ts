/**
 * Credentials for a destination: basic (`username` + `password`) or a bearer `token`, from
 * the exporter's config or, when the config has none, from the environment
 * (`HEADROOM_EXPORTER_<NAME>_USERNAME`, `_PASSWORD`, `_TOKEN`, the names the agent's config
 * loader also reads). The resolved header is only ever put on requests: it is not stored on
 * the exporter, returned by `stats()`, or written into any message.
 */
import { ErrorCode, HeadroomError } from "../errors.js";

export interface Credentials {
  /** Basic auth user (with `password`). */
  readonly username?: string;
  readonly password?: string;
  /** Bearer token (`Token` scheme for InfluxDB 2.x); not together with `username`. */
  readonly token?: string;
}

export function envPrefix(name: string): string {
  return `HEADROOM_EXPORTER_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_`;
}

/** Credentials from config, else from the environment; undefined when there are none. */
export function resolveCredentials(
  name: string,
  config: Credentials | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Credentials | undefined {
  if (config && (config.username || config.password || config.token)) return config;
  const prefix = envPrefix(name);
  const fromEnv = {
    username: env[`${prefix}USERNAME`],
    password: env[`${prefix}PASSWORD`],
    token: env[`${prefix}TOKEN`],
  };
  return fromEnv.username || fromEnv.password || fromEnv.token ? fromEnv : undefined;
}

/**
 * The Authorization header value. `scheme` is `Bearer` except for InfluxDB 2.x (`Token`).
 * Throws HR_CONFIG when both a token and a user name are given (ambiguous) or a password
 * comes without a user name.
 */
export function authorizationHeader(
  name: string,
  credentials: Credentials | undefined,
  scheme = "Bearer",
): string | undefined {
  if (!credentials) return undefined;
  const { username, password, token } = credentials;
  if (token && username) {
    throw new HeadroomError(
      ErrorCode.Config,
      `[exporter:${name}] credentials: give either token or username/password, not both`,
      { data: { exporter: name } },
    );
  }
  if (token) return `${scheme} ${token}`;
  if (username !== undefined) {
    const bytes = new TextEncoder().encode(`${username}:${password ?? ""}`);
    return `Basic ${Buffer.from(bytes).toString("base64")}`;
  }
  if (password !== undefined) {
    throw new HeadroomError(
      ErrorCode.Config,
      `[exporter:${name}] credentials: password given without username`,
      {
        data: { exporter: name },
      },
    );
  }
  return undefined;
}
