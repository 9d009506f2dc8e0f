/**
 * Recent samples of one series and the window reductions rules use (last, avg, max, min, rate).
 * The engine keeps one small window per series for windowed rules, or reads a history store
 * through a `HistoryQuery` when the agent gives it one.
 */
import type { Labels } from "../metrics/snapshot.js";
import type { Reduction } from "./rule.js";

export interface Sample {
  readonly t: number;
  readonly v: number;
}

/**
 * Reads recent samples of one series from a history store: `metric` plus its exact `labels`,
 * samples with `fromMs <= t <= toMs`, oldest first. Called by the engine once per windowed
 * series per evaluation; a throw or rejection becomes the rule's error outcome.
 */
export type HistoryQuery = (
  metric: string,
  labels: Labels,
  fromMs: number,
  toMs: number,
) => readonly Sample[] | Promise<readonly Sample[]>;

/** A growable ring of (time, value) pairs pruned to a time span. */
export class SeriesWindow {
  #t: number[] = [];
  #v: number[] = [];
  #head = 0;

  push(t: number, v: number, spanMs: number): void {
    const n = this.#t.length;
    if (n > this.#head && this.#t[n - 1] >= t) {
      // The same snapshot evaluated twice, or a clock step back: keep the newest value only.
      this.#t[n - 1] = t;
      this.#v[n - 1] = v;
    } else {
      this.#t.push(t);
      this.#v.push(v);
    }
    const cutoff = t - spanMs;
    while (this.#head < this.#t.length - 1 && this.#t[this.#head] < cutoff) this.#head++;
    if (this.#head > 64 && this.#head * 2 > this.#t.length) {
      this.#t = this.#t.slice(this.#head);
      this.#v = this.#v.slice(this.#head);
      this.#head = 0;
    }
  }

  /** `reduce(kind, this.samples())` without building the sample list (the per-tick path). */
  reduce(kind: Reduction): number | undefined {
    return reduceArrays(kind, this.#t, this.#v, this.#head);
  }

  samples(): Sample[] {
    const out: Sample[] = [];
    for (let i = this.#head; i < this.#t.length; i++) out.push({ t: this.#t[i], v: this.#v[i] });
    return out;
  }
}

/**
 * Reduces samples (oldest first) to one value, or undefined when there is not enough data
 * (no samples; fewer than two for `rate`). `rate` treats the series as a counter: a drop is
 * a reset, and the result is per second.
 */
export function reduce(kind: Reduction, samples: readonly Sample[]): number | undefined {
  return reduceArrays(
    kind,
    samples.map((s) => s.t),
    samples.map((s) => s.v),
    0,
  );
}

function reduceArrays(
  kind: Reduction,
  ts: readonly number[],
  vs: readonly number[],
  from: number,
): number | undefined {
  const end = vs.length;
  const n = end - from;
  if (n <= 0) return undefined;
  switch (kind) {
    case "last":
      return vs[end - 1];
    case "avg": {
      let sum = 0;
      for (let i = from; i < end; i++) sum += vs[i];
      return sum / n;
    }
    case "max": {
      let m = Number.NEGATIVE_INFINITY;
      for (let i = from; i < end; i++) if (vs[i] > m) m = vs[i];
      return m;
    }
    case "min": {
      let m = Number.POSITIVE_INFINITY;
      for (let i = from; i < end; i++) if (vs[i] < m) m = vs[i];
      return m;
    }
    case "rate": {
      if (n < 2) return undefined;
      const span = (ts[end - 1] - ts[from]) / 1000;
      if (span <= 0) return undefined;
      let increase = 0;
      for (let i = from + 1; i < end; i++) {
        const d = vs[i] - vs[i - 1];
        increase += d >= 0 ? d : vs[i];
      }
      return increase / span;
    }
  }
}
