/**
 * The exporters' own series, one set per registry shared by every exporter (told apart by
 * the `exporter` label). Several exporters register into the same registry, so an existing
 * metric of the same name is reused (the registry's HR_ALREADY_REGISTERED carries it).
 */
import { ErrorCode, isHeadroomError } from "../errors.js";
import type { Counter } from "../metrics/counter.js";
import type { Gauge } from "../metrics/gauge.js";
import type { Registry } from "../metrics/registry.js";

export const DropReason = { QueueFull: "queue_full", Unencodable: "unencodable", Closed: "closed" } as const;
export type DropReason = (typeof DropReason)[keyof typeof DropReason];

export interface ExporterMetrics {
  sent(n: number): void;
  failed(n: number): void;
  dropped(reason: DropReason, n: number): void;
  retry(): void;
  queue(samples: number): void;
  success(ms: number): void;
}

function reuse<M>(make: () => M, registry: Registry, name: string): M {
  try {
    return make();
  } catch (err) {
    if (isHeadroomError(err, ErrorCode.AlreadyRegistered)) return registry.get(name) as M;
    throw err;
  }
}

const noop: ExporterMetrics = {
  sent() {},
  failed() {},
  dropped() {},
  retry() {},
  queue() {},
  success() {},
};

/** Handles for exporter `name` in `registry`; a no-op set without a registry. */
export function exporterMetrics(registry: Registry | undefined, name: string): ExporterMetrics {
  if (!registry) return noop;
  const counter = (metric: string, help: string) =>
    reuse(
      () => registry.counter({ name: metric, help, labelNames: ["exporter"] }),
      registry,
      metric,
    ) as Counter<"exporter">;
  const gauge = (metric: string, help: string, unit?: string) =>
    reuse(
      () => registry.gauge({ name: metric, help, labelNames: ["exporter"], unit }),
      registry,
      metric,
    ) as Gauge<"exporter">;
  const sent = counter("headroom_exporter_samples_sent_total", "Samples the destination accepted.").labels({
    exporter: name,
  });
  const failed = counter(
    "headroom_exporter_samples_failed_total",
    "Samples the destination refused for good (4xx); not retried.",
  ).labels({ exporter: name });
  const dropped = reuse(
    () =>
      registry.counter({
        name: "headroom_exporter_samples_dropped_total",
        help: "Samples dropped before sending: queue full, not encodable, or exporter closed.",
        labelNames: ["exporter", "reason"],
      }),
    registry,
    "headroom_exporter_samples_dropped_total",
  ) as Counter<"exporter" | "reason">;
  const retries = counter(
    "headroom_exporter_retries_total",
    "Send attempts that failed in a retryable way (5xx, 429, timeout, connection error).",
  ).labels({ exporter: name });
  const queue = gauge("headroom_exporter_queue_samples", "Samples waiting to be sent.").labels({
    exporter: name,
  });
  const last = gauge(
    "headroom_exporter_last_success_timestamp_seconds",
    "When the destination last accepted a batch (Unix time).",
    "seconds",
  ).labels({ exporter: name });
  for (const reason of Object.values(DropReason)) dropped.labels({ exporter: name, reason });
  return {
    sent: (n) => sent.inc(n),
    failed: (n) => failed.inc(n),
    dropped: (reason, n) => dropped.labels({ exporter: name, reason }).inc(n),
    retry: () => retries.inc(),
    queue: (samples) => queue.set(samples),
    success: (ms) => last.set(ms / 1000),
  };
}
