/**
 * The agent's configuration: the seed's `[monitoring]` sections (interval, retention,
 * thresholds, alerting, exporters) plus monitors, history, server, resource limits and logs.
 * Keys are camelCase here; files may spell them snake_case (the seed's TOML) or camelCase,
 * and the loader converts before validating. Every field has a default, so an empty file (or
 * none) is a complete configuration.
 */
import { z } from "zod";
import { parseDuration } from "./duration.js";

/** Default HTTP port: free of the well-known exporters' ports (9090-9100, 9464). */
export const DEFAULT_PORT = 9798;

/** A duration written as `30s`, `5m`, `7d` or a number of seconds; parsed to milliseconds. */
const duration = (fallback: string) =>
  z
    .union([z.string(), z.number()])
    .default(fallback)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined) {
        ctx.addIssue({ code: "custom", message: `expected a duration like "10s", got ${JSON.stringify(v)}` });
        return z.NEVER;
      }
      return ms;
    });

const percent = (fallback: number) => z.number().min(0).max(100).default(fallback);
const count = (fallback: number) => z.number().int().min(0).default(fallback);

const monitorToggle = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Regular expressions matched against the monitor's main label (device, mountpoint, container name...). */
    include: z.array(z.string()).default([]),
    exclude: z.array(z.string()).default([]),
  })
  .prefault({});

export const ExporterType = {
  Prometheus: "prometheus",
  RemoteWrite: "remote_write",
  InfluxDb: "influxdb",
  Elasticsearch: "elasticsearch",
  OpenSearch: "opensearch",
  VictoriaMetrics: "victoriametrics",
  Otlp: "otlp",
  Pushgateway: "pushgateway",
  Statsd: "statsd",
  DogStatsd: "dogstatsd",
  Custom: "custom",
} as const;
export type ExporterType = (typeof ExporterType)[keyof typeof ExporterType];

const optionalDuration = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return undefined;
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: "custom", message: `expected a duration like "10s", got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return ms;
  });

const exporterSchema = z
  .strictObject({
    name: z.string().min(1),
    /** The seed spells it `exporter_type = "Prometheus"`; the loader folds that into `type`. */
    type: z.enum(Object.values(ExporterType) as [ExporterType, ...ExporterType[]]),
    /** `http(s)://` for the HTTP exporters, `udp://host:port` for StatsD and DogStatsD. */
    endpoint: z.url({ protocol: /^(https?|udp)$/ }),
    credentials: z
      .strictObject({
        username: z.string().optional(),
        password: z.string().optional(),
        token: z.string().optional(),
      })
      .optional(),
    batchSize: z.number().int().min(1).max(1_000_000).default(100),
    flushInterval: duration("30s"),
    /** Database, bucket or index name where the target needs one (InfluxDB, Elasticsearch). */
    database: z.string().optional(),
    /** Queue bound in samples (StatsD: lines). */
    maxQueueSamples: z.number().int().min(1).optional(),
    /** Per-request timeout. */
    timeout: optionalDuration,
    /** Extra request headers, kept as written (a tenant id, for instance). */
    headers: z.record(z.string(), z.string()).optional(),
    /** Gzip text bodies (InfluxDB, OTLP, Elasticsearch). */
    gzip: z.boolean().optional(),
    /** InfluxDB timestamp precision. */
    precision: z.enum(["ns", "us", "ms", "s"]).optional(),
    /** Elasticsearch / OpenSearch index pattern (`{yyyy}`, `{MM}`, `{dd}`, `{HH}`, `{name}`). */
    indexPattern: z.string().min(1).optional(),
    /** Pushgateway `job` grouping label. */
    job: z.string().min(1).optional(),
    /** Pushgateway method: PUT replaces the group, POST same-named metrics. */
    method: z.enum(["PUT", "POST"]).optional(),
    /** First retry delay; doubles per failed attempt. */
    minBackoff: optionalDuration,
    /** Longest retry delay. */
    maxBackoff: optionalDuration,
  })
  .superRefine((e, ctx) => {
    const udp = e.endpoint.startsWith("udp:");
    if (udp !== (e.type === "statsd" || e.type === "dogstatsd")) {
      ctx.addIssue({
        code: "custom",
        path: ["endpoint"],
        message: udp
          ? `expected an http(s) URL for type "${e.type}"`
          : `expected udp://host:port for type "${e.type}"`,
      });
    }
  });

export type ExporterSettings = z.output<typeof exporterSchema>;

const ruleSchema = z.strictObject({
  name: z.string().min(1),
  /** Series name in the registry (`headroom_cpu_usage_percent`). */
  series: z.string().min(1),
  labels: z.record(z.string(), z.string()).default({}),
  op: z.enum([">", ">=", "<", "<="]).default(">"),
  threshold: z.number(),
  for: duration("0s"),
  severity: z.enum(["info", "warning", "critical"]).default("warning"),
});

/** Channels carry type-specific settings (SMTP host, webhook URL...) checked by the channel itself. */
const channelSchema = z.looseObject({
  type: z.enum(["email", "slack", "webhook", "alertmanager", "log"]),
  name: z.string().optional(),
});

const tierSchema = z.strictObject({ resolution: duration("1m"), retention: duration("30d") });

export const configSchema = z.strictObject({
  monitoring: z
    .strictObject({
      enableMonitoring: z.boolean().default(true),
      collectionInterval: duration("5s").refine((ms) => ms >= 100, "expected a duration of at least 100ms"),
      retentionPeriod: duration("7d"),
      /** The seed's development thresholds; each becomes an alert rule. */
      thresholds: z
        .strictObject({
          cpuUsagePercent: percent(80),
          memoryUsagePercent: percent(85),
          diskUsagePercent: percent(90),
          networkBandwidthPercent: percent(80),
          containerCount: count(10),
          processCount: count(1000),
        })
        .prefault({}),
      alerting: z
        .strictObject({
          enableAlerting: z.boolean().default(true),
          cooldownPeriod: duration("5m"),
          channels: z.array(channelSchema).default([]),
          rules: z.array(ruleSchema).default([]),
        })
        .prefault({}),
      exporters: z.array(exporterSchema).default([]),
    })
    .prefault({}),
  monitors: z
    .strictObject({
      cpu: monitorToggle,
      memory: monitorToggle,
      disk: monitorToggle,
      filesystem: monitorToggle,
      network: monitorToggle,
      system: monitorToggle,
      processes: monitorToggle,
      pressure: monitorToggle,
      containers: z
        .strictObject({
          enabled: z.boolean().default(true),
          include: z.array(z.string()).default([]),
          exclude: z.array(z.string()).default([]),
          /** Docker or Podman API socket; default: the first of /var/run/docker.sock, /run/podman/podman.sock that exists. */
          socket: z.string().optional(),
          /** A daemon over TCP instead of a socket (`http://127.0.0.1:2375`). */
          url: z.url({ protocol: /^https?$/ }).optional(),
        })
        .prefault({}),
      runtime: monitorToggle,
      gpu: monitorToggle,
    })
    .prefault({}),
  /** node_exporter's `--path.*` roots, for an agent in a container watching its host through bind mounts. */
  path: z
    .strictObject({
      procfs: z.string().min(1).default("/proc"),
      sysfs: z.string().min(1).default("/sys"),
      rootfs: z.string().min(1).default("/"),
    })
    .prefault({}),
  history: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Directory for the SQLite file; defaults to the per-user data directory. */
      path: z.string().optional(),
      tiers: z.array(tierSchema).default([]),
    })
    .prefault({}),
  server: z
    .strictObject({
      enabled: z.boolean().default(true),
      address: z.string().min(1).default("127.0.0.1"),
      port: z.number().int().min(0).max(65535).default(DEFAULT_PORT),
      auth: z
        .strictObject({
          token: z.string().min(8).optional(),
          username: z.string().optional(),
          password: z.string().optional(),
        })
        .prefault({}),
      tls: z.strictObject({ cert: z.string(), key: z.string() }).optional(),
      /** Scrapes of /metrics served at once; more get 503 with Retry-After. */
      maxConcurrentScrapes: z.number().int().min(1).max(1000).default(4),
      /** Serve on a non-loopback address without auth. Off: such a config is refused. */
      allowOpen: z.boolean().default(false),
    })
    .prefault({}),
  resourceLimits: z
    .strictObject({
      maxCpuUsagePercent: percent(95),
      maxMemoryUsagePercent: percent(95),
      maxDiskUsagePercent: percent(95),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
    })
    .prefault({}),
});

export type AgentConfig = z.output<typeof configSchema>;
export type ExporterConfig = AgentConfig["monitoring"]["exporters"][number];
export type AlertRuleConfig = AgentConfig["monitoring"]["alerting"]["rules"][number];
export type MonitorToggle = AgentConfig["monitors"]["cpu"];
