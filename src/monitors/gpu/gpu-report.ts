/**
 * The seed's GpuReport: one frame's hook timeline. Hook timings are microseconds from the
 * frame's FrameStart (so FrameStart is 0), undefined when the hook was not marked.
 */

/** The four hooks of a frame, in the order they must be marked. */
export const FrameHook = {
  FrameStart: "FrameStart",
  MainPassBegin: "MainPassBegin",
  MainPassEnd: "MainPassEnd",
  FrameEnd: "FrameEnd",
} as const;

export type FrameHook = (typeof FrameHook)[keyof typeof FrameHook];

/** Hooks in timeline order; `hookTimingsUs[i]` belongs to `FRAME_HOOKS[i]`. */
export const FRAME_HOOKS: readonly FrameHook[] = Object.freeze([
  FrameHook.FrameStart,
  FrameHook.MainPassBegin,
  FrameHook.MainPassEnd,
  FrameHook.FrameEnd,
]);

export type HookTimings = readonly [
  number | undefined,
  number | undefined,
  number | undefined,
  number | undefined,
];

export interface GpuReportFields {
  readonly frameNumber: number;
  readonly hookTimingsUs: HookTimings;
  /** FrameStart to MainPassBegin unless the application reported its own figure. */
  readonly cpuPreparationTimeUs: number | undefined;
  /** MainPassEnd to FrameEnd unless the application reported its own figure. */
  readonly cpuSubmissionTimeUs: number | undefined;
}

export class GpuReport implements GpuReportFields {
  readonly frameNumber: number;
  readonly hookTimingsUs: HookTimings;
  readonly cpuPreparationTimeUs: number | undefined;
  readonly cpuSubmissionTimeUs: number | undefined;

  constructor(f: GpuReportFields) {
    this.frameNumber = f.frameNumber;
    this.hookTimingsUs = Object.freeze([...f.hookTimingsUs]) as unknown as HookTimings;
    this.cpuPreparationTimeUs = f.cpuPreparationTimeUs;
    this.cpuSubmissionTimeUs = f.cpuSubmissionTimeUs;
    Object.freeze(this);
  }

  /** FrameEnd minus FrameStart in µs, or undefined when either was not marked. */
  frameTotalDurationUs(): number | undefined {
    const [start, , , end] = this.hookTimingsUs;
    return start === undefined || end === undefined ? undefined : end - start;
  }

  /** MainPassEnd minus MainPassBegin in µs, or undefined when either was not marked. */
  mainPassDurationUs(): number | undefined {
    const [, begin, end] = this.hookTimingsUs;
    return begin === undefined || end === undefined ? undefined : end - begin;
  }
}

/** Differences between consecutive hooks, or undefined when one side is missing. */
export function span(t: HookTimings, from: number, to: number): number | undefined {
  const a = t[from];
  const b = t[to];
  return a === undefined || b === undefined ? undefined : b - a;
}

/**
 * Hook timings from GPU timestamps (WebGPU `timestamp-query` results resolved into a
 * BigUint64Array, in nanoseconds), one per hook with `undefined` for a hook not written.
 * Returns microseconds from the first defined timestamp.
 */
export function hookTimingsFromTimestamps(ns: ArrayLike<bigint | undefined>): HookTimings {
  let base: bigint | undefined;
  for (let i = 0; i < 4; i++) {
    const v = ns[i];
    if (v !== undefined && (base === undefined || v < base)) base = v;
  }
  const out: (number | undefined)[] = [];
  for (let i = 0; i < 4; i++) {
    const v = ns[i];
    out.push(v === undefined || base === undefined ? undefined : Number(v - base) / 1000);
  }
  return out as unknown as HookTimings;
}
