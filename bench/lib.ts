/**
 * Shared benchmark plumbing: timing loops, medians and the results file every suite writes
 * (`bench/results/<suite>.json`, an array of BenchResult).
 */
import { mkdirSync, writeFileSync } from "node:fs";

export interface BenchResult {
  /** Exact case id named by the issue that asked for it (`counter.bound`). */
  case: string;
  unit: string;
  headroom: number;
  /** The peer measured in the same process, or "" when the case has none. */
  peer: string;
  peerValue: number | null;
  /** Better-is-bigger ratio: peer cost / Headroom cost (or Headroom rate / peer rate). Null without a peer. */
  ratio: number | null;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Nanoseconds per call of `fn(i)`, as the median of `rounds` timed rounds of `iterations` calls
 * after a warm-up round.
 */
export function nsPerOp(fn: (i: number) => void, iterations = 1_000_000, rounds = 7): number {
  for (let i = 0; i < iterations; i++) fn(i);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return median(samples);
}

/**
 * Nanoseconds per iteration of a loop the caller writes out itself (`loop(n)` runs n
 * iterations), so the figure is the operation rather than a call through a generic harness.
 * Median of 7 rounds after a warm-up round.
 */
export function loopNs(iterations: number, loop: (n: number) => void): number {
  loop(iterations);
  const samples: number[] = [];
  for (let r = 0; r < 7; r++) {
    const start = process.hrtime.bigint();
    loop(iterations);
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return median(samples);
}

/** Milliseconds per call of an async or sync `fn`, median of `rounds` after `warmup` calls. */
export async function msPerCall(fn: () => unknown, rounds = 15, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

/** Builds a result where smaller is better for both sides (times, bytes). */
export function lowerIsBetter(
  id: string,
  unit: string,
  headroom: number,
  peer = "",
  peerValue?: number,
): BenchResult {
  const ratio = peerValue === undefined ? null : peerValue / headroom;
  return { case: id, unit, headroom, peer, peerValue: peerValue ?? null, ratio };
}

/** Builds a result where bigger is better for both sides (throughput). */
export function higherIsBetter(
  id: string,
  unit: string,
  headroom: number,
  peer = "",
  peerValue?: number,
): BenchResult {
  const ratio = peerValue === undefined ? null : headroom / peerValue;
  return { case: id, unit, headroom, peer, peerValue: peerValue ?? null, ratio };
}

function round(n: number | null): string {
  if (n === null) return "-";
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

export function printTable(suite: string, results: BenchResult[]): void {
  console.log(`\n${suite}`);
  console.log(["case", "unit", "headroom", "peer", "peer value", "ratio"].join("\t"));
  for (const r of results) {
    console.log(
      [r.case, r.unit, round(r.headroom), r.peer || "-", round(r.peerValue), round(r.ratio)].join("\t"),
    );
  }
}

export function writeResults(suite: string, results: BenchResult[]): string {
  mkdirSync("bench/results", { recursive: true });
  const path = `bench/results/${suite}.json`;
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}
