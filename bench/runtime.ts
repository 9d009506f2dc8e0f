/**
 * Runtime monitor and tracked allocator costs (`npm run bench -- runtime`):
 *   runtime.sample    one synchronous runtime sample, ms; peer: prom-client's default metrics
 *                     collected once (getMetricsAsJSON, which runs the same reads)
 *   runtime.overhead  share of a busy event loop's time spent in the runtime monitor sampling
 *                     every second, % (no peer)
 *   allocator.pair    one allocate + free of a 64-byte buffer, ns; peer: a plain `new ArrayBuffer(64)`
 */
import { collectDefaultMetrics, Registry as PromRegistry } from "prom-client";
import { createRegistry } from "../src/metrics/registry.js";
import { createTrackedAllocator } from "../src/monitors/memory/tracked-allocator.js";
import { createRuntimeMonitor } from "../src/monitors/runtime/runtime-monitor.js";
import { type BenchResult, lowerIsBetter, median, msPerCall, nsPerOp } from "./lib.js";

async function sampleCost(): Promise<[number, number]> {
  const runtime = createRuntimeMonitor(createRegistry());
  const prom = new PromRegistry();
  collectDefaultMetrics({ register: prom });
  try {
    const ours = await msPerCall(() => runtime.sampleSync(), 200, 20);
    const theirs = await msPerCall(() => prom.getMetricsAsJSON(), 200, 20);
    return [ours, theirs];
  } finally {
    runtime.close();
    prom.clear();
  }
}

/** Chunks of CPU work per second on a loop that yields between chunks, for `ms`. */
async function busyThroughput(ms: number): Promise<number> {
  let chunks = 0;
  let sink = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 20_000; i++) sink += Math.sqrt(i);
    chunks++;
    await new Promise((r) => setImmediate(r));
  }
  if (sink < 0) console.log(sink);
  return chunks / ((performance.now() - start) / 1000);
}

/**
 * Share of a busy loop's wall time spent inside the runtime monitor when it samples every
 * second: the synchronous part of each `update()` (everything but the one gauge set after the
 * setImmediate lag probe), measured while the loop is saturated so caches and GC behave as in
 * production. A throughput comparison with and without the monitor was tried first; on this
 * 2-core VM its noise (several %) is far larger than the effect.
 */
async function overhead(): Promise<number> {
  const shares: number[] = [];
  for (let r = 0; r < 5; r++) {
    const runtime = createRuntimeMonitor(createRegistry());
    let inside = 0;
    const timer = setInterval(() => {
      const t0 = performance.now();
      void runtime.update();
      inside += performance.now() - t0;
    }, 1000);
    const start = performance.now();
    await busyThroughput(3000);
    const wall = performance.now() - start;
    clearInterval(timer);
    runtime.close();
    shares.push((inside / wall) * 100);
  }
  return median(shares);
}

/** Alternates the two sides so GC pressure from one does not land on the other's rounds only. */
function allocatorPair(): [number, number] {
  const a = createTrackedAllocator();
  let sink = 0;
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < 9; r++) {
    ours.push(
      nsPerOp(
        () => {
          const buf = a.allocate(64);
          sink += buf.byteLength;
          a.free(buf);
        },
        100_000,
        3,
      ),
    );
    theirs.push(
      nsPerOp(
        () => {
          sink += new ArrayBuffer(64).byteLength;
        },
        100_000,
        3,
      ),
    );
  }
  if (sink < 0) console.log(sink);
  return [median(ours), median(theirs)];
}

export async function run(): Promise<BenchResult[]> {
  const [sample, promSample] = await sampleCost();
  const [pair, plain] = allocatorPair();
  const loss = await overhead();
  return [
    lowerIsBetter("runtime.sample", "ms", sample, "prom-client default metrics", promSample),
    lowerIsBetter("runtime.overhead", "% of loop time", loss),
    lowerIsBetter("allocator.pair", "ns", pair, "new ArrayBuffer", plain),
  ];
}
