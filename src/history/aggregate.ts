/**
 * Pure query arithmetic shared by every store: step buckets, min/max-preserving downsampling
 * and counter increase. Inputs are parallel arrays of timestamps and values, oldest first,
 * already restricted to the query range.
 */
import type { Sample, StepPoint } from "./history-store.js";

/** Buckets aligned to multiples of `stepMs` since the epoch (as rollup tiers are). */
export function stepAggregate(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  n: number,
  stepMs: number,
): StepPoint[] {
  const out: StepPoint[] = [];
  let i = 0;
  while (i < n) {
    const t0 = Math.floor(ts[i] / stepMs) * stepMs;
    const end = t0 + stepMs;
    let count = 0;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let last = 0;
    for (; i < n && ts[i] < end; i++) {
      const v = vs[i];
      count++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      last = v;
    }
    out.push({ t: t0, count, sum, min, max, last });
  }
  return out;
}

/** Re-buckets finer aggregates (a rollup tier) into `stepMs` buckets. */
export function mergeStepPoints(points: readonly StepPoint[], stepMs: number): StepPoint[] {
  const out: StepPoint[] = [];
  let cur: { t: number; count: number; sum: number; min: number; max: number; last: number } | undefined;
  for (const p of points) {
    const t0 = Math.floor(p.t / stepMs) * stepMs;
    if (!cur || cur.t !== t0) {
      if (cur) out.push(cur);
      cur = { t: t0, count: p.count, sum: p.sum, min: p.min, max: p.max, last: p.last };
      continue;
    }
    cur.count += p.count;
    cur.sum += p.sum;
    if (p.min < cur.min) cur.min = p.min;
    if (p.max > cur.max) cur.max = p.max;
    cur.last = p.last;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * At most `maxPoints` samples: the range is cut into maxPoints/2 equal buckets and each bucket
 * keeps its minimum and maximum sample, in time order (M4-style without first/last), so spikes
 * and dips survive. Fewer samples than maxPoints come back unchanged.
 */
export function downsampleMinMax(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  n: number,
  startMs: number,
  endMs: number,
  maxPoints: number,
): Sample[] {
  const out: Sample[] = [];
  if (n <= maxPoints) {
    for (let i = 0; i < n; i++) out.push({ t: ts[i], v: vs[i] });
    return out;
  }
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const width = (endMs - startMs + 1) / buckets;
  let i = 0;
  for (let b = 0; b < buckets && i < n; b++) {
    const end = b === buckets - 1 ? Number.POSITIVE_INFINITY : startMs + (b + 1) * width;
    let lo = -1;
    let hi = -1;
    for (; i < n && ts[i] < end; i++) {
      if (lo < 0 || vs[i] < vs[lo]) lo = i;
      if (hi < 0 || vs[i] > vs[hi]) hi = i;
    }
    if (lo < 0) continue;
    const first = Math.min(lo, hi);
    const second = Math.max(lo, hi);
    out.push({ t: ts[first], v: vs[first] });
    if (second !== first) out.push({ t: ts[second], v: vs[second] });
  }
  return out;
}

/** Min/max-preserving downsampling over rollup points: each bucket keeps the tier points holding its min and max. */
export function downsampleStepPoints(
  points: readonly StepPoint[],
  startMs: number,
  endMs: number,
  maxPoints: number,
): Sample[] {
  const out: Sample[] = [];
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const width = (endMs - startMs + 1) / buckets;
  let i = 0;
  for (let b = 0; b < buckets && i < points.length; b++) {
    const end = b === buckets - 1 ? Number.POSITIVE_INFINITY : startMs + (b + 1) * width;
    let lo = -1;
    let hi = -1;
    for (; i < points.length && points[i].t < end; i++) {
      if (lo < 0 || points[i].min < points[lo].min) lo = i;
      if (hi < 0 || points[i].max > points[hi].max) hi = i;
    }
    if (lo < 0) continue;
    if (lo === hi) {
      out.push({ t: points[lo].t, v: points[lo].min });
      if (points[lo].max !== points[lo].min) out.push({ t: points[lo].t + 1, v: points[lo].max });
    } else if (lo < hi) {
      out.push({ t: points[lo].t, v: points[lo].min }, { t: points[hi].t, v: points[hi].max });
    } else {
      out.push({ t: points[hi].t, v: points[hi].max }, { t: points[lo].t, v: points[lo].min });
    }
  }
  return out;
}

/** Increase of a counter across the samples; a drop is a reset, after which the new value counts in full. */
export function counterIncrease(vs: ArrayLike<number>, n: number): number {
  let inc = 0;
  for (let i = 1; i < n; i++) {
    const d = vs[i] - vs[i - 1];
    inc += d >= 0 ? d : vs[i];
  }
  return inc;
}

/** Per-second rate over the samples, or undefined with fewer than two. */
export function counterRate(ts: ArrayLike<number>, vs: ArrayLike<number>, n: number): number | undefined {
  if (n < 2) return undefined;
  const seconds = (ts[n - 1] - ts[0]) / 1000;
  if (seconds <= 0) return undefined;
  return counterIncrease(vs, n) / seconds;
}
