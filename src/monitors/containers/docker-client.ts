/**
 * A small Docker Engine API client (also answers Podman's Docker-compatible service) over a
 * unix socket or TCP: ping, list containers, inspect, and stats, one-shot or streamed. Every
 * failure is a HeadroomError: HR_UNAVAILABLE when the socket refuses, HR_TIMEOUT when the
 * daemon answers too slowly, HR_HTTP on a non-2xx status, HR_PARSE on a body that is not the
 * JSON the API documents.
 */
import { request } from "node:http";
import { ErrorCode, HeadroomError } from "../../errors.js";

export interface DockerClientOptions {
  /** Unix socket; default `/var/run/docker.sock` unless `url` is given. */
  socketPath?: string;
  /** `http://127.0.0.1:2375` for a TCP daemon. */
  url?: string;
  /** Per-request timeout; default 5000 ms. */
  timeoutMs?: number;
  /** API version prefix; default `v1.41` (Docker 20.10, Podman 4). */
  apiVersion?: string;
}

export interface DockerContainer {
  id: string;
  /** Without the leading slash. */
  name: string;
  image: string;
  /** `running`, `exited`, `paused`, `created`, `restarting`, `dead`. */
  state: string;
  labels: Record<string, string>;
  /** Seconds since the epoch. */
  created: number;
}

/** The parts of a stats sample Headroom uses. */
export interface DockerStats {
  readAt: string;
  cpuTotalNs: number;
  systemCpuNs: number | undefined;
  onlineCpus: number | undefined;
  memoryUsageBytes: number | undefined;
  memoryLimitBytes: number | undefined;
  networks: Record<string, { rxBytes: number; txBytes: number }>;
}

const C = "containers:docker";

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function malformed(what: string, body: string): HeadroomError {
  return new HeadroomError(ErrorCode.Parse, `[${C}] ${what}`, { data: { body: body.slice(0, 200) } });
}

export function parseContainerList(body: string): DockerContainer[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new HeadroomError(ErrorCode.Parse, `[${C}] /containers/json returned malformed JSON`, {
      data: { body: body.slice(0, 200) },
      cause,
    });
  }
  if (!Array.isArray(json)) throw malformed("/containers/json did not return an array", body);
  return json.map((raw, i) => {
    const c = obj(raw);
    if (!c || typeof c.Id !== "string") throw malformed(`/containers/json entry ${i} has no Id`, body);
    const names = Array.isArray(c.Names) ? c.Names.filter((n): n is string => typeof n === "string") : [];
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj(c.Labels) ?? {})) if (typeof v === "string") labels[k] = v;
    return {
      id: c.Id,
      name: (names[0] ?? c.Id.slice(0, 12)).replace(/^\//, ""),
      image: typeof c.Image === "string" ? c.Image : "",
      state: typeof c.State === "string" ? c.State.toLowerCase() : "unknown",
      labels,
      created: num(c.Created) ?? 0,
    };
  });
}

export function parseStats(body: string): DockerStats {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new HeadroomError(ErrorCode.Parse, `[${C}] stats returned malformed JSON`, {
      data: { body: body.slice(0, 200) },
      cause,
    });
  }
  const s = obj(json);
  const cpu = obj(s?.cpu_stats);
  const total = num(obj(cpu?.cpu_usage)?.total_usage);
  if (!s || total === undefined) throw malformed("stats has no cpu_stats.cpu_usage.total_usage", body);
  const mem = obj(s.memory_stats);
  const networks: DockerStats["networks"] = {};
  for (const [name, v] of Object.entries(obj(s.networks) ?? {})) {
    const n = obj(v);
    const rx = num(n?.rx_bytes);
    const tx = num(n?.tx_bytes);
    if (rx !== undefined && tx !== undefined) networks[name] = { rxBytes: rx, txBytes: tx };
  }
  return {
    readAt: typeof s.read === "string" ? s.read : "",
    cpuTotalNs: total,
    systemCpuNs: num(cpu?.system_cpu_usage),
    onlineCpus: num(cpu?.online_cpus),
    memoryUsageBytes: num(mem?.usage),
    memoryLimitBytes: num(mem?.limit),
    networks,
  };
}

/**
 * Docker's CPU percent between two samples: container CPU time over host CPU time, times the
 * online CPUs (so 100% is one core). Undefined when the samples cannot give one (no system
 * time, counters that went backwards).
 */
export function cpuPercentBetween(prev: DockerStats, next: DockerStats): number | undefined {
  if (prev.systemCpuNs === undefined || next.systemCpuNs === undefined) return undefined;
  const dCpu = next.cpuTotalNs - prev.cpuTotalNs;
  const dSys = next.systemCpuNs - prev.systemCpuNs;
  if (!(dSys > 0) || dCpu < 0) return undefined;
  return (dCpu / dSys) * (next.onlineCpus ?? 1) * 100;
}

export interface DockerClient {
  ping(): Promise<boolean>;
  listContainers(options?: { all?: boolean }): Promise<DockerContainer[]>;
  /** The container's main pid (0 when not running), for locating its cgroup. */
  containerPid(id: string): Promise<number>;
  /** One stats sample (`stream=false`). */
  stats(id: string): Promise<DockerStats>;
  /** Reads `count` consecutive samples from the streamed stats endpoint, then closes it. */
  streamStats(id: string, count: number): Promise<DockerStats[]>;
}

export function createDockerClient(options: DockerClientOptions = {}): DockerClient {
  const timeoutMs = options.timeoutMs ?? 5000;
  const version = options.apiVersion ?? "v1.41";
  const base = options.url ? new URL(options.url) : undefined;
  const socketPath = base ? undefined : (options.socketPath ?? "/var/run/docker.sock");
  const where = base ? base.host : socketPath;

  function get(path: string, onChunk?: (text: string) => boolean, limitMs = timeoutMs): Promise<string> {
    return new Promise((resolve, reject) => {
      let body = "";
      let done = false;
      const finish = (err: Error | undefined) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        req.destroy();
        if (err) reject(err);
        else resolve(body);
      };
      const req = request(
        {
          socketPath,
          host: base?.hostname,
          port: base?.port,
          path: `/${version}${path}`,
          method: "GET",
          headers: { host: "docker" },
        },
        (res) => {
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            body += chunk;
            if (body.length > 16 * 1024 * 1024) finish(malformed(`${path} answered more than 16 MiB`, ""));
            else if (onChunk && res.statusCode === 200) {
              try {
                if (onChunk(body)) finish(undefined);
              } catch (err) {
                finish(err as Error);
              }
            }
          });
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              finish(
                new HeadroomError(ErrorCode.Http, `[${C}] GET ${path} answered HTTP ${status}`, {
                  data: { status, body: body.slice(0, 200) },
                }),
              );
            } else finish(undefined);
          });
          res.on("error", (e) => finish(e));
        },
      );
      const timer = setTimeout(
        () =>
          finish(
            new HeadroomError(ErrorCode.Timeout, `[${C}] GET ${path} did not answer within ${limitMs} ms`, {
              data: { where, path },
            }),
          ),
        limitMs,
      );
      req.on("error", (cause) =>
        finish(
          new HeadroomError(
            ErrorCode.Unavailable,
            `[${C}] cannot reach the Docker API at ${where}: ${cause.message}`,
            {
              data: { where },
              cause,
            },
          ),
        ),
      );
      req.end();
    });
  }

  return {
    async ping() {
      return (await get("/_ping")).trim() === "OK";
    },
    async listContainers({ all = true } = {}) {
      return parseContainerList(await get(`/containers/json?all=${all ? 1 : 0}`));
    },
    async containerPid(id) {
      const body = await get(`/containers/${encodeURIComponent(id)}/json`);
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch (cause) {
        throw new HeadroomError(ErrorCode.Parse, `[${C}] inspect returned malformed JSON`, { cause });
      }
      const pid = num(obj(obj(json)?.State)?.Pid);
      if (pid === undefined) throw malformed("inspect has no State.Pid", body);
      return pid;
    },
    async stats(id) {
      return parseStats(await get(`/containers/${encodeURIComponent(id)}/stats?stream=false`));
    },
    async streamStats(id, count) {
      const samples: DockerStats[] = [];
      let consumed = 0;
      // Each sample is one JSON document per line; the daemon sends one per second.
      await get(
        `/containers/${encodeURIComponent(id)}/stats?stream=true`,
        (text) => {
          let nl = text.indexOf("\n", consumed);
          while (nl >= 0) {
            const line = text.slice(consumed, nl).trim();
            consumed = nl + 1;
            if (line) samples.push(parseStats(line));
            if (samples.length >= count) return true;
            nl = text.indexOf("\n", consumed);
          }
          return false;
        },
        timeoutMs + count * 2000,
      );
      return samples;
    },
  };
}
