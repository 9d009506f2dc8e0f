/**
 * Seed 001's EngineMetrics: a small facade for applications that want string keys instead of
 * holding handles (`registerCustomCounter("frames", ...)`, then `incrementCounter("frames")`).
 * Each key resolves once to a bound handle; an unknown key is a no-op that is counted, matching
 * the seed's "missing metric = no-op" degradation.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { MetricConfig, MetricsConfig } from "./config.js";
import type { CounterHandle } from "./counter.js";
import type { GaugeHandle } from "./gauge.js";
import type { Registry } from "./registry.js";

type Handle =
  | { kind: "counter"; handle: CounterHandle }
  | { kind: "gauge"; handle: GaugeHandle }
  | { kind: "histogram" | "summary"; handle: { observe(value: number): void } };

export class EngineMetrics {
  readonly registry: Registry;
  readonly #handles = new Map<string, Handle>();
  /** Calls made with a key that was never registered (or of the wrong kind). */
  missed = 0;

  constructor(registry: Registry) {
    this.registry = registry;
  }

  /** Registers every metric of a MetricsConfig under its key. */
  initializeWithConfig(config: MetricsConfig): void {
    for (const [key, metric] of Object.entries(config.metrics)) this.#define(key, metric);
  }

  registerCustomCounter(
    key: string,
    namespace: string,
    name: string,
    description: string,
    labels?: Record<string, string>,
  ) {
    this.#define(key, { namespace, name, description, metricType: "counter", labels });
  }

  registerCustomGauge(
    key: string,
    namespace: string,
    name: string,
    description: string,
    labels?: Record<string, string>,
  ) {
    this.#define(key, { namespace, name, description, metricType: "gauge", labels });
  }

  registerCustomHistogram(
    key: string,
    namespace: string,
    name: string,
    description: string,
    buckets?: number[],
  ) {
    this.#define(key, { namespace, name, description, metricType: "histogram", buckets });
  }

  /** A gauge computed at collection time (seed 001's register_computed_gauge). */
  registerComputedGauge(name: string, compute: () => number, help?: string): void {
    this.registry.registerComputedGauge(name, compute, { help });
  }

  incrementCounter(key: string, by = 1): void {
    const h = this.#handles.get(key);
    if (h?.kind === "counter") h.handle.inc(by);
    else this.missed++;
  }

  updateGauge(key: string, value: number): void {
    const h = this.#handles.get(key);
    if (h?.kind === "gauge") h.handle.set(value);
    else this.missed++;
  }

  recordHistogram(key: string, value: number): void {
    const h = this.#handles.get(key);
    if (h?.kind === "histogram" || h?.kind === "summary") h.handle.observe(value);
    else this.missed++;
  }

  /** The handle registered under `key`, for callers that want the hot path directly. */
  getHandle(key: string): CounterHandle | GaugeHandle | { observe(value: number): void } | undefined {
    return this.#handles.get(key)?.handle;
  }

  /** The keys defined so far. */
  keys(): string[] {
    return [...this.#handles.keys()];
  }

  #define(key: string, m: MetricConfig): void {
    if (this.#handles.has(key)) {
      throw new HeadroomError(
        ErrorCode.AlreadyRegistered,
        `[metrics:engine] key "${key}" is already defined`,
        { data: { key } },
      );
    }
    const labels = m.labels ?? {};
    const base = {
      namespace: m.namespace || undefined,
      name: m.name,
      help: m.description || `${m.name}`,
      unit: m.unit,
      labelNames: Object.keys(labels),
    };
    let handle: Handle;
    switch (m.metricType) {
      case "counter":
        handle = { kind: "counter", handle: this.registry.counter(base).labels(labels) };
        break;
      case "gauge":
        handle = { kind: "gauge", handle: this.registry.gauge(base).labels(labels) };
        break;
      case "histogram":
        handle = {
          kind: "histogram",
          handle: this.registry.histogram({ ...base, buckets: m.buckets }).labels(labels),
        };
        break;
      case "summary":
        handle = { kind: "summary", handle: this.registry.summary(base).labels(labels) };
        break;
    }
    this.#handles.set(key, handle);
  }
}
