/**
 * Historical analysis over stored usage: the level per hour of day (UTC), the busiest and
 * quietest hours, and the overall trend, from hourly aggregates.
 */
import type { StepPoint } from "../history/history-store.js";
import { trend } from "./trend.js";

export interface HourProfile {
  /** 0..23, UTC. */
  readonly hour: number;
  readonly average: number;
  readonly samples: number;
}

export interface UsagePattern {
  readonly name: string;
  readonly samples: number;
  readonly average: number;
  readonly peak: number;
  /** Hours of day with data, ascending. */
  readonly hours: readonly HourProfile[];
  readonly busiestHour: number | undefined;
  readonly quietestHour: number | undefined;
  /** Theil-Sen slope of the hourly means, units per hour. */
  readonly trendPerHour: number;
  readonly trendConfidence: number;
}

const HOUR = 3_600_000;

export function analyzeHourly(name: string, hourly: readonly StepPoint[]): UsagePattern {
  const sums = new Float64Array(24);
  const counts = new Float64Array(24);
  let total = 0;
  let n = 0;
  let peak = Number.NaN;
  for (const p of hourly) {
    const h = Math.floor((p.t % 86_400_000) / HOUR);
    sums[h] += p.sum;
    counts[h] += p.count;
    total += p.sum;
    n += p.count;
    if (!(p.max <= peak)) peak = p.max;
  }
  const hours: HourProfile[] = [];
  for (let h = 0; h < 24; h++)
    if (counts[h] > 0) hours.push({ hour: h, average: sums[h] / counts[h], samples: counts[h] });
  let busiest: HourProfile | undefined;
  let quietest: HourProfile | undefined;
  for (const h of hours) {
    if (!busiest || h.average > busiest.average) busiest = h;
    if (!quietest || h.average < quietest.average) quietest = h;
  }
  const tr = trend(
    hourly.map((p) => p.t),
    hourly.map((p) => p.sum / p.count),
  );
  return {
    name,
    samples: n,
    average: n > 0 ? total / n : Number.NaN,
    peak,
    hours,
    busiestHour: busiest?.hour,
    quietestHour: quietest?.hour,
    trendPerHour: tr.slope * HOUR,
    trendConfidence: tr.direction === 0 ? 0 : tr.confidence,
  };
}
