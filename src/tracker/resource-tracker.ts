/**
 * The ResourceTracker (seed 002): named resources, usage samples, statistics, thresholds,
 * reports, leak suspects and historical analysis. Each tracked resource is a series of the
 * gauge `headroom_tracker_usage{resource,type}` in the registry it is given (so it shows in
 * exposition, alerts and the dashboard), and, when a history store is given, every sample goes
 * to `headroom_tracker_samples{resource,type}` with its own timestamp.
 *
 * Threads: the tracker lives on one thread; workers record through `createSharedChannel()`
 * (see shared-usage.ts), drained by `drainShared()`.
 *
 * Hot path: `recordUsage` never throws and allocates nothing once a resource's window has
 * grown; a non-finite value or a stale handle is counted in `droppedSamples` and skipped.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { stepAggregate } from "../history/aggregate.js";
import type { HistoryStore, Sample } from "../history/history-store.js";
import type { Gauge } from "../metrics/gauge.js";
import { createRegistry, type Registry } from "../metrics/registry.js";
import { analyzeHourly, type UsagePattern } from "./patterns.js";
import { renderReport } from "./report.js";
import { type ResourceEntry, ResourceHandle } from "./resource-handle.js";
import { createSharedUsageBuffer, SharedUsageConsumer, type SharedUsageLayout } from "./shared-usage.js";
import { Threshold } from "./threshold.js";
import { trend } from "./trend.js";
import type {
  Alert,
  HandleLeak,
  LeakAnalysisOptions,
  LeakSuspect,
  ReportFormat,
  ResourceStats,
  ThresholdOptions,
} from "./types.js";
import { percentile, UsageWindow } from "./usage-window.js";

export interface ResourceTrackerOptions {
  /** Where the per-resource gauge is registered. Default: a private registry. */
  registry?: Registry;
  /** Where every sample is stored; without one, analysis uses the in-memory window only. */
  history?: HistoryStore;
  /** Recent samples kept per resource for percentiles and leak analysis. Default 512. */
  windowSamples?: number;
  /** Clock for samples recorded without a timestamp. Default Date.now. */
  now?: () => number;
  /** Called when a handle is garbage-collected without `release()` (after a major GC). */
  onHandleLeak?: (leak: HandleLeak) => void;
}

const HOUR = 3_600_000;
/** Shared by every resource without thresholds, so those cost no array of their own. */
const NO_THRESHOLDS: Threshold[] = [];
let singleton: ResourceTracker | undefined;

export class ResourceTracker {
  readonly registry: Registry;
  readonly #history: HistoryStore | undefined;
  readonly #windowSamples: number;
  readonly #now: () => number;
  readonly #gauge: Gauge<"resource" | "type">;
  readonly #entries = new Map<string, ResourceEntry>();
  readonly #byShared: (ResourceEntry | undefined)[] = [];
  readonly #thresholds = new Map<string, Threshold[]>();
  readonly #leaks: HandleLeak[] = [];
  readonly #finalizer: FinalizationRegistry<HandleLeak>;
  readonly #consumers: SharedUsageConsumer[] = [];
  readonly #onShared = (id: number, value: number, t: number): void => {
    const e = this.#byShared[id];
    if (e?.live) this.#record(e, value, t);
    else this.droppedSamples++;
  };
  /** Samples skipped: non-finite values, released or untracked handles, unknown shared ids. */
  droppedSamples = 0;

  /** The process-wide tracker, for application code that wants the seed's singleton; libraries and tests construct their own. */
  static instance(): ResourceTracker {
    singleton ??= new ResourceTracker();
    return singleton;
  }

  constructor(options: ResourceTrackerOptions = {}) {
    this.registry = options.registry ?? createRegistry();
    this.#history = options.history;
    this.#windowSamples = options.windowSamples ?? 512;
    this.#now = options.now ?? Date.now;
    this.#gauge = this.registry.gauge({
      name: "headroom_tracker_usage",
      help: "Last recorded usage of each resource tracked by the ResourceTracker.",
      labelNames: ["resource", "type"],
    });
    this.#finalizer = new FinalizationRegistry((leak) => {
      this.#leaks.push(leak);
      options.onHandleLeak?.(leak);
    });
  }

  /** Starts tracking `name` (or returns a new handle to it); throws HR_INVALID_ARGUMENT for an empty name. */
  track(name: string, type = "custom"): ResourceHandle {
    let entry = this.#entries.get(name);
    if (!entry) {
      if (typeof name !== "string" || name.length === 0 || name.length > 4096) {
        throw new HeadroomError(
          ErrorCode.InvalidArgument,
          "[tracker] resource name must be a string of 1..4096 chars",
          {
            data: { name },
          },
        );
      }
      const labels = { resource: name, type };
      const series = this.#history?.series("headroom_tracker_samples", labels);
      const history = this.#history;
      entry = {
        name,
        type,
        sharedId: this.#byShared.length,
        gauge: this.#gauge.labels(labels),
        history: series && history ? { append: (t, v) => history.append(series, t, v) } : undefined,
        window: new UsageWindow(this.#windowSamples),
        min: Number.NaN,
        max: Number.NaN,
        sum: 0,
        count: 0,
        current: Number.NaN,
        lastUpdated: undefined,
        thresholds: this.#thresholds.get(name) ?? NO_THRESHOLDS,
        live: true,
      };
      this.#entries.set(name, entry);
      this.#byShared.push(entry);
    }
    const handle = new ResourceHandle(entry, (h) => this.#finalizer.unregister(h));
    this.#finalizer.register(handle, { name, type: entry.type, createdAt: this.#now() }, handle);
    return handle;
  }

  /** Records one sample. Never throws; bad values and stale handles are counted in `droppedSamples`. */
  recordUsage(handle: ResourceHandle, value: number, timestamp?: number): void {
    const e = handle.entry;
    if (e === undefined || !e.live || !Number.isFinite(value)) {
      this.droppedSamples++;
      return;
    }
    this.#record(e, value, timestamp ?? this.#now());
  }

  #record(e: ResourceEntry, value: number, t: number): void {
    if (!Number.isFinite(value) || !Number.isFinite(t)) {
      this.droppedSamples++;
      return;
    }
    if (e.count === 0 || value < e.min) e.min = value;
    if (e.count === 0 || value > e.max) e.max = value;
    e.count++;
    e.sum += value;
    e.current = value;
    if (e.lastUpdated === undefined || t > e.lastUpdated) e.lastUpdated = t;
    e.window.push(t, value);
    e.gauge.set(value);
    e.history?.append(t, value);
    for (const th of e.thresholds) th.check(e.name, value, t);
  }

  /** Statistics of a tracked resource; throws HR_NOT_FOUND for a name that is not tracked. */
  getStats(name: string): ResourceStats {
    const e = this.#entries.get(name);
    if (!e) {
      throw new HeadroomError(ErrorCode.NotFound, `[tracker] resource "${name}" is not tracked`, {
        data: { name },
      });
    }
    const vs = e.window.samples().vs.sort();
    return {
      name: e.name,
      type: e.type,
      min: e.min,
      max: e.max,
      average: e.count > 0 ? e.sum / e.count : Number.NaN,
      current: e.current,
      lastUpdated: e.lastUpdated,
      count: e.count,
      percentiles: {
        p50: percentile(vs, 0.5),
        p90: percentile(vs, 0.9),
        p95: percentile(vs, 0.95),
        p99: percentile(vs, 0.99),
      },
      windowSamples: vs.length,
    };
  }

  /**
   * Calls `callback` when `name` crosses `threshold` (above by default), with hysteresis and a
   * cooldown (see ThresholdOptions). The name need not be tracked yet. Returns a remover.
   */
  setThreshold(
    name: string,
    threshold: number,
    callback: (alert: Alert) => void,
    options: ThresholdOptions = {},
  ): () => void {
    if (!Number.isFinite(threshold)) {
      throw new HeadroomError(ErrorCode.InvalidArgument, `[tracker] threshold for "${name}" must be finite`, {
        data: { name, threshold },
      });
    }
    const th = new Threshold(threshold, callback, options);
    let list = this.#thresholds.get(name);
    if (!list) {
      list = [];
      this.#thresholds.set(name, list);
      const entry = this.#entries.get(name);
      if (entry) entry.thresholds = list;
    }
    list.push(th);
    return () => {
      const i = list.indexOf(th);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** A report of every tracked resource: TEXT (default), JSON or CSV; HR_INVALID_ARGUMENT for other formats. */
  generateReport(format: ReportFormat | string = "TEXT"): string {
    const stats = [...this.#entries.keys()].sort().map((n) => this.getStats(n));
    return renderReport(stats, format, this.#now());
  }

  /** Stops tracking `name`: its gauge series goes away and its handles record nothing more. */
  untrack(name: string): boolean {
    const e = this.#entries.get(name);
    if (!e) return false;
    e.live = false;
    this.#entries.delete(name);
    this.#byShared[e.sharedId] = undefined;
    this.#gauge.remove({ resource: e.name, type: e.type });
    return true;
  }

  trackedResources(): string[] {
    return [...this.#entries.keys()];
  }

  /** Handles collected without `release()` so far (best effort; see ResourceHandle). */
  getHandleLeaks(): readonly HandleLeak[] {
    return this.#leaks;
  }

  /** Resources whose usage keeps growing over their recent window (Theil-Sen slope + Mann-Kendall). */
  findLeakSuspects(options: LeakAnalysisOptions = {}): LeakSuspect[] {
    const out: LeakSuspect[] = [];
    for (const e of this.#entries.values()) {
      const since =
        options.windowMs === undefined || e.lastUpdated === undefined
          ? undefined
          : e.lastUpdated - options.windowMs;
      const { ts, vs } = e.window.samples(since);
      if (vs.length < (options.minSamples ?? 20)) continue;
      const tr = trend(ts, vs);
      const growthPerHour = tr.slope * HOUR;
      const spanMs = ts[ts.length - 1] - ts[0];
      let mean = 0;
      for (const v of vs) mean += v;
      mean /= vs.length;
      const relative = Math.abs(mean) > 0 ? (tr.slope * spanMs) / Math.abs(mean) : Number.POSITIVE_INFINITY;
      if (tr.direction <= 0 || growthPerHour <= (options.minGrowthPerHour ?? 0)) continue;
      if (tr.confidence < (options.minConfidence ?? 0.99) || relative < (options.minRelativeGrowth ?? 0.01))
        continue;
      out.push({
        name: e.name,
        type: e.type,
        growthPerHour,
        confidence: tr.confidence,
        fit: tr.fit,
        samples: vs.length,
        windowMs: spanMs,
      });
    }
    return out.sort((a, b) => b.confidence - a.confidence || b.growthPerHour - a.growthPerHour);
  }

  /** Usage of `name` over a range, at most `maxPoints` (min/max preserving), from history or the window. */
  async getUsageHistory(
    name: string,
    range: { startMs: number; endMs: number; maxPoints?: number },
  ): Promise<Sample[]> {
    const e = this.#requireEntry(name);
    if (this.#history) {
      return this.#history.queryDownsampled(
        { name: "headroom_tracker_samples", labels: { resource: e.name, type: e.type } },
        { startMs: range.startMs, endMs: range.endMs, maxPoints: range.maxPoints ?? 1000 },
      );
    }
    const { ts, vs } = e.window.samples(range.startMs);
    const out: Sample[] = [];
    for (let i = 0; i < ts.length; i++) if (ts[i] <= range.endMs) out.push({ t: ts[i], v: vs[i] });
    return out;
  }

  /** Busiest and quietest hours of day and the trend of `name` over a range of stored history. */
  async analyzePatterns(name: string, range: { startMs: number; endMs: number }): Promise<UsagePattern> {
    const e = this.#requireEntry(name);
    if (this.#history) {
      const hourly = await this.#history.queryStep(
        { name: "headroom_tracker_samples", labels: { resource: e.name, type: e.type } },
        { startMs: range.startMs, endMs: range.endMs, stepMs: HOUR },
      );
      return analyzeHourly(name, hourly);
    }
    const { ts, vs } = e.window.samples(range.startMs);
    let n = ts.length;
    while (n > 0 && ts[n - 1] > range.endMs) n--;
    return analyzeHourly(name, stepAggregate(ts, vs, n, HOUR));
  }

  /** The id a worker passes to `SharedUsageRecorder.record` for this handle's resource. */
  sharedId(handle: ResourceHandle): number {
    const e = handle.entry;
    if (!e?.live)
      throw new HeadroomError(
        ErrorCode.StaleHandle,
        `[tracker] handle for "${handle.name}" is released or untracked`,
      );
    return e.sharedId;
  }

  /** A queue workers record into (send `layout` to them); drained by `drainShared()`. */
  createSharedChannel(capacity = 4096): SharedUsageLayout {
    const layout = createSharedUsageBuffer(capacity);
    this.#consumers.push(new SharedUsageConsumer(layout));
    return layout;
  }

  /** Moves every sample queued by workers into the tracker; returns how many. Call it on a timer. */
  drainShared(): number {
    let n = 0;
    for (const c of this.#consumers) n += c.drain(this.#onShared);
    return n;
  }

  #requireEntry(name: string): ResourceEntry {
    const e = this.#entries.get(name);
    if (!e)
      throw new HeadroomError(ErrorCode.NotFound, `[tracker] resource "${name}" is not tracked`, {
        data: { name },
      });
    return e;
  }
}
