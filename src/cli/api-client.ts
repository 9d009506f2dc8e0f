/**
 * The CLI's client for a running agent's HTTP API (report, alerts, top): base URL from
 * `--url` or the config's server section, credentials from HEADROOM_TOKEN or
 * HEADROOM_USERNAME/PASSWORD. Connection failures are HR_UNAVAILABLE (exit code 4).
 */
import { ErrorCode, HeadroomError } from "../errors.js";

export interface ApiClient {
  readonly baseUrl: string;
  get<T>(path: string): Promise<T>;
  send<T>(method: "POST" | "DELETE", path: string, body?: unknown): Promise<T | undefined>;
}

export function createApiClient(
  baseUrl: string,
  env: Readonly<Record<string, string | undefined>>,
): ApiClient {
  const headers: Record<string, string> = {};
  if (env.HEADROOM_TOKEN) headers.authorization = `Bearer ${env.HEADROOM_TOKEN}`;
  else if (env.HEADROOM_USERNAME && env.HEADROOM_PASSWORD) {
    headers.authorization = `Basic ${Buffer.from(`${env.HEADROOM_USERNAME}:${env.HEADROOM_PASSWORD}`).toString("base64")}`;
  }
  const base = baseUrl.replace(/\/+$/, "");
  async function call<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new HeadroomError(
        ErrorCode.Unavailable,
        `[cli] cannot reach the agent at ${base} (is \`headroom start\` running?): ${(err as Error).cause ?? (err as Error).message}`,
        { cause: err },
      );
    }
    if (res.status === 204) return undefined;
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const message = (json as { error?: string } | undefined)?.error ?? text.slice(0, 200);
      throw new HeadroomError(ErrorCode.Http, `[cli] ${method} ${path}: HTTP ${res.status}: ${message}`, {
        data: { status: res.status },
      });
    }
    return json as T;
  }
  return {
    baseUrl: base,
    get: async <T>(path: string) => (await call<T>("GET", path)) as T,
    send: (method, path, body) => call(method, path, body),
  };
}
