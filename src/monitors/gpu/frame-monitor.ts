/**
 * The seed's GpuMonitor: frame timing fed by an application's render or work loop, either
 * live (`frames.begin()`, `frame.mark("MainPassBegin")`, `frame.end()`) or from stats the
 * application measured itself (`updateFromFrameStats()`, e.g. WebGPU timestamp queries through
 * `hookTimingsFromTimestamps()`). Frame times land in histograms, frames per second in a rate.
 *
 * No `node:` import: it runs in a browser next to a WebGPU renderer. The hot calls (`begin`,
 * `mark`, `end`, `updateFromFrameStats`) never throw; misuse (a hook out of order, a frame
 * never ended, a frame ended twice, garbage stats) is counted in
 * `headroom_gpu_frame_errors_total{reason}` and the frame loop carries on.
 */
import type { Counter } from "../../metrics/counter.js";
import type { Gauge } from "../../metrics/gauge.js";
import type { Histogram } from "../../metrics/histogram.js";
import type { Rate } from "../../metrics/rate.js";
import type { Registry } from "../../metrics/registry.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";
import { FRAME_HOOKS, type FrameHook, GpuReport, type HookTimings, span } from "./gpu-report.js";

export const FrameErrorReason = {
  OutOfOrder: "out_of_order",
  UnknownHook: "unknown_hook",
  NotEnded: "not_ended",
  AlreadyEnded: "already_ended",
  InvalidStats: "invalid_stats",
} as const;
export type FrameErrorReason = (typeof FrameErrorReason)[keyof typeof FrameErrorReason];

/** What `updateFromFrameStats()` accepts: the seed's GpuReport fields, frame number optional. */
export interface FrameStats {
  frameNumber?: number;
  /** µs per hook in FRAME_HOOKS order, non-decreasing where defined; undefined for an unmarked hook. */
  hookTimingsUs: ArrayLike<number | undefined | null>;
  cpuPreparationTimeUs?: number;
  cpuSubmissionTimeUs?: number;
}

/** A frame in flight. `end()` is also `[Symbol.dispose]`, so `using frame = frames.begin()` works. */
export interface Frame {
  readonly frameNumber: number;
  /** Marks a hook now. Out of order, unknown, or on an ended frame: counted and ignored. */
  mark(hook: FrameHook): void;
  /** Marks FrameEnd and records the frame. A second call is counted and ignored. */
  end(): void;
  [Symbol.dispose](): void;
}

export interface FrameMonitorOptions {
  /** Monitor id (default "gpu.frames"; the seed's "WgpuGPU"). */
  id?: string;
  /** Clock in milliseconds (default `performance.now`). */
  now?: () => number;
  /** A frame still open this long at `update()` is counted as never ended and dropped (default 10 s). */
  abandonAfterMs?: number;
  /** Window of the frames-per-second rate (default 5 s). */
  fpsWindowSeconds?: number;
}

const FRAME_BUCKETS = [0.001, 0.002, 0.004, 0.008, 0.0167, 0.0333, 0.05, 0.1, 0.25, 0.5, 1];

export class FrameMonitor implements ResourceMonitor {
  /** `frames.begin()` starts the next frame (the shape the application's loop calls). */
  readonly frames: { begin(): Frame };
  readonly #id: string;
  readonly #now: () => number;
  readonly #abandonAfterMs: number;
  readonly #frameSeconds: Histogram;
  readonly #passSeconds: Histogram;
  readonly #prepSeconds: Gauge;
  readonly #submitSeconds: Gauge;
  readonly #fps: Rate;
  readonly #framesTotal: Counter;
  readonly #errors: Counter<"reason">;
  #open: LiveFrame | undefined;
  #nextFrame = 0;
  #last: GpuReport | undefined;
  #lastUs = 0;
  #peakUs = 0;

  constructor(registry: Registry, options: FrameMonitorOptions = {}) {
    this.#id = options.id ?? "gpu.frames";
    this.#now = options.now ?? (() => performance.now());
    this.#abandonAfterMs = options.abandonAfterMs ?? 10_000;
    this.#frameSeconds = registry.histogram({
      name: "headroom_gpu_frame_duration_seconds",
      help: "Frame time from FrameStart to FrameEnd.",
      buckets: FRAME_BUCKETS,
    });
    this.#passSeconds = registry.histogram({
      name: "headroom_gpu_main_pass_duration_seconds",
      help: "Main pass time from MainPassBegin to MainPassEnd.",
      buckets: FRAME_BUCKETS,
    });
    this.#prepSeconds = registry.gauge({
      name: "headroom_gpu_cpu_preparation_seconds",
      help: "CPU preparation time of the last frame (FrameStart to MainPassBegin).",
    });
    this.#submitSeconds = registry.gauge({
      name: "headroom_gpu_cpu_submission_seconds",
      help: "CPU submission time of the last frame (MainPassEnd to FrameEnd).",
    });
    this.#fps = registry.rate({
      name: "headroom_gpu_frames_per_second",
      help: "Frames completed per second.",
      windowSeconds: options.fpsWindowSeconds ?? 5,
    });
    this.#framesTotal = registry.counter({ name: "headroom_gpu_frames_total", help: "Frames completed." });
    this.#errors = registry.counter({
      name: "headroom_gpu_frame_errors_total",
      help: "Frame hook misuse: out of order, unknown hook, never ended, ended twice, invalid stats.",
      labelNames: ["reason"],
    });
    this.frames = { begin: () => this.#begin() };
  }

  monitorId(): string {
    return this.#id;
  }

  resourceType(): MonitoredResourceType {
    return MonitoredResourceType.Gpu;
  }

  /** Frame time in µs: the last complete frame's, and the longest since start. No capacity. */
  getUsageReport(): ResourceUsageReport {
    return { currentBytes: this.#lastUs, peakBytes: this.#peakUs };
  }

  /** The last complete frame, or undefined before the first. */
  getGpuReport(): GpuReport | undefined {
    return this.#last;
  }

  /** Frames arrive from the application; update only drops a frame left open too long. */
  update(): void {
    const open = this.#open;
    if (open !== undefined && this.#now() - open.startMs > this.#abandonAfterMs) {
      open.abandon();
      this.#open = undefined;
      this.#sink.error(FrameErrorReason.NotEnded);
    }
  }

  /** Records a frame measured elsewhere. Returns false (counted as invalid_stats) when the stats are unusable. */
  updateFromFrameStats(stats: FrameStats): boolean {
    const t = validTimings(stats);
    const n = stats?.frameNumber;
    const prep = stats?.cpuPreparationTimeUs;
    const submit = stats?.cpuSubmissionTimeUs;
    if (
      t === undefined ||
      (n !== undefined && !(Number.isSafeInteger(n) && n >= 0)) ||
      (prep !== undefined && !(prep >= 0 && Number.isFinite(prep))) ||
      (submit !== undefined && !(submit >= 0 && Number.isFinite(submit)))
    ) {
      this.#sink.error(FrameErrorReason.InvalidStats);
      return false;
    }
    this.#record(n ?? this.#nextFrame++, t, prep, submit);
    return true;
  }

  /** What live frames report back through; kept off the public surface. */
  readonly #sink: FrameSink = {
    error: (reason) => this.#errors.inc({ reason }),
    complete: (frame, timings) => {
      if (this.#open === frame) this.#open = undefined;
      this.#record(frame.frameNumber, timings, undefined, undefined);
    },
  };

  #begin(): Frame {
    if (this.#open !== undefined) {
      // The previous frame was never ended: drop it rather than let it swallow this one.
      this.#open.abandon();
      this.#sink.error(FrameErrorReason.NotEnded);
    }
    const frame = new LiveFrame(this.#sink, this.#nextFrame++, this.#now);
    this.#open = frame;
    return frame;
  }

  #record(frameNumber: number, t: HookTimings, prep: number | undefined, submit: number | undefined): void {
    const report = new GpuReport({
      frameNumber,
      hookTimingsUs: t,
      cpuPreparationTimeUs: prep ?? span(t, 0, 1),
      cpuSubmissionTimeUs: submit ?? span(t, 2, 3),
    });
    this.#last = report;
    const total = report.frameTotalDurationUs();
    if (total !== undefined) {
      this.#frameSeconds.observe(total / 1e6);
      this.#lastUs = total;
      if (total > this.#peakUs) this.#peakUs = total;
    }
    const pass = report.mainPassDurationUs();
    if (pass !== undefined) this.#passSeconds.observe(pass / 1e6);
    if (report.cpuPreparationTimeUs !== undefined) this.#prepSeconds.set(report.cpuPreparationTimeUs / 1e6);
    if (report.cpuSubmissionTimeUs !== undefined) this.#submitSeconds.set(report.cpuSubmissionTimeUs / 1e6);
    this.#fps.mark();
    this.#framesTotal.inc();
  }
}

function validTimings(stats: FrameStats | undefined): HookTimings | undefined {
  const src = stats?.hookTimingsUs;
  if (src === null || typeof src !== "object" || src.length !== 4) return undefined;
  const out: (number | undefined)[] = [];
  let prev = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < 4; i++) {
    const v = src[i];
    if (v === undefined || v === null) {
      out.push(undefined);
      continue;
    }
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v < prev) return undefined;
    prev = v;
    out.push(v);
  }
  return out as unknown as HookTimings;
}

interface FrameSink {
  error(reason: FrameErrorReason): void;
  complete(frame: LiveFrame, timings: HookTimings): void;
}

class LiveFrame implements Frame {
  readonly frameNumber: number;
  readonly startMs: number;
  readonly #monitor: FrameSink;
  readonly #now: () => number;
  readonly #us: (number | undefined)[] = [0, undefined, undefined, undefined];
  #lastIndex = 0;
  #done = false;

  constructor(monitor: FrameSink, frameNumber: number, now: () => number) {
    this.#monitor = monitor;
    this.frameNumber = frameNumber;
    this.#now = now;
    this.startMs = now();
  }

  mark(hook: FrameHook): void {
    const i = FRAME_HOOKS.indexOf(hook);
    const problem = this.#done
      ? FrameErrorReason.AlreadyEnded
      : i < 0
        ? FrameErrorReason.UnknownHook
        : i <= this.#lastIndex
          ? FrameErrorReason.OutOfOrder
          : undefined;
    if (problem !== undefined) {
      this.#monitor.error(problem);
      return;
    }
    this.#us[i] = (this.#now() - this.startMs) * 1000;
    this.#lastIndex = i;
    if (i === 3) this.#finish();
  }

  end(): void {
    this.mark("FrameEnd");
  }

  [Symbol.dispose](): void {
    // Disposal after an explicit end() is the normal `using` path, not misuse.
    if (!this.#done) this.end();
  }

  abandon(): void {
    this.#done = true;
  }

  #finish(): void {
    this.#done = true;
    this.#monitor.complete(this, this.#us as unknown as HookTimings);
  }
}

/** The frame-timing GpuMonitor over `registry` (one per registry: its metric names are fixed). */
export function createGpuMonitor(registry: Registry, options: FrameMonitorOptions = {}): FrameMonitor {
  return new FrameMonitor(registry, options);
}
