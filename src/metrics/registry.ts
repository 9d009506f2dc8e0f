/**
 * The metrics registry: the one place numbers live. Metrics are registered explicitly (no
 * global registration), looked up by full name, and read as a plain MetricsSnapshot.
 *
 * Callbacks (computed gauges and collectors) run at collection time, each under a timeout; a
 * failing or slow one drops only its own series and is counted in
 * `headroom_metrics_callback_failures_total{callback}`.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { Counter } from "./counter.js";
import { Gauge } from "./gauge.js";
import { Histogram, type HistogramOptions } from "./histogram.js";
import { fullName, validateMetricName } from "./identity.js";
import { Info, type InfoOptions, StateSet, type StateSetOptions } from "./info.js";
import type { MetricBase, MetricOptions } from "./metric-base.js";
import { Rate, type RateOptions } from "./rate.js";
import type { MetricFamily, MetricsSnapshot } from "./snapshot.js";
import { Summary, type SummaryOptions } from "./summary.js";
import { Timer } from "./timer.js";

export type AnyMetric = MetricBase<string>;

export interface RegistryOptions {
  /** Default per-metric series limit (10,000). */
  seriesLimit?: number;
  /** Series whose value has not changed for this long are dropped at snapshot time. Off by default. */
  expireIdleSeriesAfterMs?: number;
  /** Clock in ms since the epoch; tests pass their own. */
  now?: () => number;
}

export interface SnapshotFilter {
  /** Keep only metrics in this namespace. */
  namespace?: string;
  /** Keep only these full names. */
  names?: readonly string[];
  /** Keep only series whose labels include all of these. */
  labels?: Readonly<Record<string, string>>;
}

export interface CallbackOptions {
  help?: string;
  /** How long an async callback may take before it counts as failed (default 1000 ms). */
  timeoutMs?: number;
}

interface ComputedGauge {
  gauge: Gauge<never>;
  fn: () => number | Promise<number>;
  timeoutMs: number;
  ok: boolean;
}

interface Collector {
  name: string;
  fn: () => void | Promise<void>;
  timeoutMs: number;
}

const CALLBACK_FAILURES = "headroom_metrics_callback_failures_total";
const SERIES_OVERFLOW = "headroom_metrics_series_overflow_total";
const REJECTED_VALUES = "headroom_metrics_rejected_values_total";

function withTimeout<T>(value: T | Promise<T>, timeoutMs: number, what: string): Promise<T> {
  if (!(value instanceof Promise)) return Promise.resolve(value);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new HeadroomError(ErrorCode.Timeout, `[metrics] ${what} did not finish in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([value, timeout]).finally(() => clearTimeout(timer));
}

export class Registry {
  readonly #metrics = new Map<string, AnyMetric>();
  readonly #computed = new Map<string, ComputedGauge>();
  readonly #collectors: Collector[] = [];
  readonly #seriesLimit: number | undefined;
  readonly #idleMs: number | undefined;
  readonly now: () => number;
  #callbackFailures: Counter<"callback"> | undefined;
  #overflow: Counter<"metric"> | undefined;
  #rejected: Counter<"metric"> | undefined;

  constructor(options: RegistryOptions = {}) {
    this.#seriesLimit = options.seriesLimit;
    this.#idleMs = options.expireIdleSeriesAfterMs;
    this.now = options.now ?? Date.now;
  }

  #limit<O extends { seriesLimit?: number }>(options: O): O {
    return options.seriesLimit === undefined && this.#seriesLimit !== undefined
      ? { ...options, seriesLimit: this.#seriesLimit }
      : options;
  }

  counter<const L extends string = never>(options: MetricOptions<L>): Counter<L> {
    return this.register(new Counter<L>(this.#limit(options), this.now));
  }

  gauge<const L extends string = never>(options: MetricOptions<L>): Gauge<L> {
    return this.register(new Gauge<L>(this.#limit(options), this.now));
  }

  histogram<const L extends string = never>(options: HistogramOptions<L>): Histogram<L> {
    return this.register(new Histogram<L>(this.#limit(options), this.now));
  }

  summary<const L extends string = never>(options: SummaryOptions<L>): Summary<L> {
    return this.register(new Summary<L>(this.#limit(options), this.now));
  }

  /** A histogram of durations in seconds with a scope API (`using s = timer.start()`). */
  timer<const L extends string = never>(options: HistogramOptions<L>): Timer<L> {
    return new Timer(this.histogram<L>({ unit: "seconds", ...options }));
  }

  rate<const L extends string = never>(options: RateOptions<L>): Rate<L> {
    return this.register(new Rate<L>(this.#limit(options), this.now));
  }

  info(options: InfoOptions): Info {
    return this.register(new Info(options, this.now));
  }

  stateSet(options: StateSetOptions): StateSet {
    return this.register(new StateSet(options, this.now));
  }

  /** Adds a metric built elsewhere. Throws HR_ALREADY_REGISTERED, carrying `data.existing`, on a name clash. */
  register<M extends AnyMetric>(metric: M): M {
    const existing = this.#metrics.get(metric.name);
    if (existing) {
      throw new HeadroomError(
        ErrorCode.AlreadyRegistered,
        `[metrics] a metric named "${metric.name}" is already registered`,
        {
          data: { name: metric.name, existing, new: metric },
        },
      );
    }
    this.#metrics.set(metric.name, metric);
    return metric;
  }

  /** Removes a metric (and its computed-gauge callback, if any). */
  unregister(name: string): boolean {
    this.#computed.delete(name);
    return this.#metrics.delete(name);
  }

  get(name: string): AnyMetric | undefined {
    return this.#metrics.get(name);
  }

  getMetrics(): AnyMetric[] {
    return [...this.#metrics.values()];
  }

  /** Drops every metric and callback. */
  clear(): void {
    this.#metrics.clear();
    this.#computed.clear();
    this.#collectors.length = 0;
    this.#callbackFailures = this.#overflow = this.#rejected = undefined;
  }

  /**
   * A gauge whose value comes from `fn` at collection time (seed 001's computed gauge). `fn`
   * may be async; `snapshot()` uses its last settled value, `collect()` waits for it.
   */
  registerComputedGauge(
    name: string,
    fn: () => number | Promise<number>,
    options: CallbackOptions = {},
  ): Gauge<never> {
    validateMetricName(name);
    const gauge = this.gauge({ name, help: options.help ?? `Computed gauge ${name}.` });
    this.#computed.set(name, { gauge, fn, timeoutMs: options.timeoutMs ?? 1000, ok: false });
    return gauge;
  }

  /** A callback that updates metrics just before each `collect()` (async I/O allowed). */
  registerCollector(fn: () => void | Promise<void>, options: CallbackOptions & { name?: string } = {}): void {
    this.#collectors.push({
      name: options.name ?? `collector_${this.#collectors.length}`,
      fn,
      timeoutMs: options.timeoutMs ?? 1000,
    });
  }

  #failed(callback: string): void {
    this.#callbackFailures ??= this.counter({
      name: CALLBACK_FAILURES,
      help: "Metric callbacks (computed gauges, collectors) that threw or timed out.",
      labelNames: ["callback"],
    });
    this.#callbackFailures.inc({ callback });
  }

  /** Runs collectors and computed gauges (each under its timeout), then takes a snapshot. */
  async collect(filter?: SnapshotFilter): Promise<MetricsSnapshot> {
    await Promise.all([
      ...this.#collectors.map(async (c) => {
        try {
          await withTimeout(c.fn(), c.timeoutMs, `collector ${c.name}`);
        } catch {
          this.#failed(c.name);
        }
      }),
      ...[...this.#computed.entries()].map(async ([name, c]) => {
        try {
          const value = await withTimeout(c.fn(), c.timeoutMs, `computed gauge ${name}`);
          c.ok = Number.isFinite(value);
          if (c.ok) c.gauge.set(value);
          else this.#failed(name);
        } catch {
          c.ok = false;
          this.#failed(name);
        }
      }),
    ]);
    return this.#snapshot(filter, false);
  }

  /** A plain snapshot of every metric now. Synchronous computed gauges are evaluated; async ones keep their last value. */
  snapshot(filter?: SnapshotFilter): MetricsSnapshot {
    return this.#snapshot(filter, true);
  }

  #snapshot(filter: SnapshotFilter | undefined, evaluateSync: boolean): MetricsSnapshot {
    if (evaluateSync) this.#evaluateSyncComputed();
    this.#updateSelfMetrics();
    const now = this.now();
    const families: MetricFamily[] = [];
    for (const metric of this.#metrics.values()) {
      if (filter?.namespace !== undefined && metric.namespace !== filter.namespace) continue;
      if (filter?.names && !filter.names.includes(metric.name)) continue;
      const computed = this.#computed.get(metric.name);
      if (computed && !computed.ok) continue;
      if (this.#idleMs !== undefined) metric.table.expireIdle(now, this.#idleMs);
      let family = metric.collect();
      if (filter?.labels) family = filterSeries(family, filter.labels);
      families.push(family);
    }
    return { timestampMs: now, families };
  }

  #evaluateSyncComputed(): void {
    for (const [name, c] of this.#computed) {
      try {
        const value = c.fn();
        if (value instanceof Promise) {
          value.then(
            (v) => {
              c.ok = Number.isFinite(v);
              if (c.ok) c.gauge.set(v);
            },
            () => {
              c.ok = false;
              this.#failed(name);
            },
          );
        } else {
          c.ok = Number.isFinite(value);
          if (c.ok) c.gauge.set(value);
          else this.#failed(name);
        }
      } catch {
        c.ok = false;
        this.#failed(name);
      }
    }
  }

  /** Mirrors the tables' overflow and rejection counts into visible counters, once any is non-zero. */
  #updateSelfMetrics(): void {
    for (const metric of this.#metrics.values()) {
      const t = metric.table;
      if (t.overflowed > 0) {
        this.#overflow ??= this.counter({
          name: SERIES_OVERFLOW,
          help: "New series sent to the __overflow__ series because the metric's series limit was reached.",
          labelNames: ["metric"],
        });
        this.#overflow.setTotal({ metric: metric.name }, t.overflowed);
      }
      if (t.rejected + t.stale > 0) {
        this.#rejected ??= this.counter({
          name: REJECTED_VALUES,
          help: "Values dropped on the hot path: non-finite, negative counter increments, bad labels, removed series.",
          labelNames: ["metric"],
        });
        this.#rejected.setTotal({ metric: metric.name }, t.rejected + t.stale);
      }
    }
  }
}

function filterSeries<F extends MetricFamily>(family: F, labels: Readonly<Record<string, string>>): F {
  const keys = Object.keys(labels);
  const series = (family.series as readonly { labels: Readonly<Record<string, string>> }[]).filter((s) =>
    keys.every((k) => s.labels[k] === labels[k]),
  );
  return { ...family, series } as F;
}

export function createRegistry(options: RegistryOptions = {}): Registry {
  return new Registry(options);
}

/** A process-wide registry for applications that want one. Libraries and tests pass their own. */
export const defaultRegistry: Registry = new Registry();

export { fullName };
