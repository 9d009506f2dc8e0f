/**
 * Seed 001's storage abstraction. A MetricsBackend takes id-addressed operations
 * (`incrementCounter(id)`), which is how the seed's engines and external sinks talk. In Headroom
 * the registry's typed handles are the hot path and never go through a backend; the in-memory
 * backend below resolves each MetricId to a registry metric (creating it on first use) for
 * callers that only have ids, such as configuration-driven code or bridges from other systems.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { Counter } from "./counter.js";
import { Gauge } from "./gauge.js";
import { Histogram } from "./histogram.js";
import { fullName, type MetricId } from "./identity.js";
import type { MetricOptions } from "./metric-base.js";
import type { Registry } from "./registry.js";
import type { MetricsSnapshot } from "./snapshot.js";

export type BackendOperation = "incrementCounter" | "setGauge" | "recordHistogram";

export interface MetricsBackend {
  /** Adds `value` (default 1) to the counter `id`. Throws a typed error for an invalid id or a type clash. */
  incrementCounter(id: MetricId, value?: number): void;
  /** Sets the gauge `id`. */
  setGauge(id: MetricId, value: number): void;
  /** Observes `value` into the histogram `id` (default buckets). */
  recordHistogram(id: MetricId, value: number): void;
  /** Everything the backend holds, as a plain snapshot. */
  snapshot(): MetricsSnapshot;
}

export function createInMemoryBackend(registry: Registry): MetricsBackend {
  /** The registry metric for `id`, created on first use with the id's label names. */
  function metricFor<M>(
    id: MetricId,
    kind: new (...args: never[]) => M,
    create: (options: MetricOptions<string>) => M,
  ): M {
    const name = fullName(id.namespace, id.name);
    const existing = registry.get(name);
    if (existing === undefined) {
      return create({
        namespace: id.namespace || undefined,
        name: id.name,
        help: `${name} (recorded through a MetricsBackend).`,
        labelNames: Object.keys(id.labels).sort(),
      });
    }
    if (!(existing instanceof kind)) {
      throw new HeadroomError(
        ErrorCode.AlreadyRegistered,
        `[metrics] "${name}" is a ${existing.type}, not a ${kind.name.toLowerCase()}`,
        { data: { name, existing } },
      );
    }
    return existing;
  }

  return {
    incrementCounter(id, value = 1) {
      metricFor(id, Counter, (o) => registry.counter(o))
        .labels(id.labels)
        .inc(value);
    },
    setGauge(id, value) {
      metricFor(id, Gauge, (o) => registry.gauge(o))
        .labels(id.labels)
        .set(value);
    },
    recordHistogram(id, value) {
      metricFor(id, Histogram, (o) => registry.histogram(o))
        .labels(id.labels)
        .observe(value);
    },
    snapshot: () => registry.snapshot(),
  };
}
