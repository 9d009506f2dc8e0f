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
  function metricFor<M>(id: MetricId, kind: new (...args: never[]) => M, create: () => M): M {
    const name = fullName(id.namespace, id.name);
    const existing = registry.get(name);
    if (existing === undefined) return create();
    if (!(existing instanceof kind)) {
      throw new HeadroomError(
        ErrorCode.AlreadyRegistered,
        `[metrics] "${name}" is a ${existing.type}, not a ${kind.name.toLowerCase()}`,
        {
          data: { name, existing },
        },
      );
    }
    return existing;
  }
  const labelNames = (id: MetricId) => Object.keys(id.labels).sort();
  const help = (id: MetricId) => `${fullName(id.namespace, id.name)} (recorded through a MetricsBackend).`;

  return {
    incrementCounter(id, value = 1) {
      const counter = metricFor(id, Counter, () =>
        registry.counter({
          namespace: id.namespace || undefined,
          name: id.name,
          help: help(id),
          labelNames: labelNames(id),
        }),
      );
      counter.labels(id.labels).inc(value);
    },
    setGauge(id, value) {
      const gauge = metricFor(id, Gauge, () =>
        registry.gauge({
          namespace: id.namespace || undefined,
          name: id.name,
          help: help(id),
          labelNames: labelNames(id),
        }),
      );
      gauge.labels(id.labels).set(value);
    },
    recordHistogram(id, value) {
      const histogram = metricFor(id, Histogram, () =>
        registry.histogram({
          namespace: id.namespace || undefined,
          name: id.name,
          help: help(id),
          labelNames: labelNames(id),
        }),
      );
      histogram.labels(id.labels).observe(value);
    },
    snapshot: () => registry.snapshot(),
  };
}
