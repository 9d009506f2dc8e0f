/**
 * Metrics hot path and exposition: Headroom against prom-client 15 (the ratio) and
 * @opentelemetry/sdk-metrics 2 (extra `.otel` cases), all in this process.
 * Run with `npm run bench -- metrics` (the script passes --expose-gc for the memory case).
 */
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import client from "prom-client";
import { encodePrometheusText } from "../src/expose/prometheus-text.js";
import { createRegistry } from "../src/metrics/registry.js";
import { type BenchResult, loopNs, lowerIsBetter, msPerCall, nsPerOp } from "./lib.js";

const LABELS = ["method", "route", "status"] as const;
const ROUTES = ["/", "/api/users", "/api/orders", "/health"];

function counterBound(): BenchResult {
  const hr = createRegistry().counter({ name: "req_total", help: "r", labelNames: LABELS });
  const hrHandle = hr.labels({ method: "GET", route: "/", status: "200" });
  const prom = new client.Counter({ name: "req_total", help: "r", labelNames: LABELS, registers: [] });
  const promChild = prom.labels({ method: "GET", route: "/", status: "200" });
  const ours = loopNs(10_000_000, (n) => {
    for (let i = 0; i < n; i++) hrHandle.inc();
  });
  const theirs = loopNs(1_000_000, (n) => {
    for (let i = 0; i < n; i++) promChild.inc();
  });
  return lowerIsBetter("counter.bound", "ns/op", ours, "prom-client labels().inc()", theirs);
}

function counterUnbound(): BenchResult[] {
  const hr = createRegistry().counter({ name: "req_total", help: "r", labelNames: LABELS });
  const prom = new client.Counter({ name: "req_total", help: "r", labelNames: LABELS, registers: [] });
  const meter = new MeterProvider().getMeter("bench");
  const otel = meter.createCounter("req_total");
  const ours = nsPerOp((i) => hr.inc({ method: "GET", route: ROUTES[i & 3], status: "200" }), 1_000_000);
  const theirs = nsPerOp((i) => prom.inc({ method: "GET", route: ROUTES[i & 3], status: "200" }), 1_000_000);
  const otelNs = nsPerOp((i) => otel.add(1, { method: "GET", route: ROUTES[i & 3], status: "200" }), 500_000);
  return [
    lowerIsBetter("counter.unbound", "ns/op", ours, "prom-client inc(labels)", theirs),
    lowerIsBetter("counter.unbound.otel", "ns/op", ours, "@opentelemetry/sdk-metrics add(1, attrs)", otelNs),
  ];
}

function histogramBound(): BenchResult[] {
  const hr = createRegistry().histogram({ name: "lat", help: "l", labelNames: LABELS });
  const hrHandle = hr.labels({ method: "GET", route: "/", status: "200" });
  const prom = new client.Histogram({ name: "lat", help: "l", labelNames: LABELS, registers: [] });
  const promChild = prom.labels({ method: "GET", route: "/", status: "200" });
  const otel = new MeterProvider().getMeter("bench").createHistogram("lat");
  const attrs = { method: "GET", route: "/", status: "200" };
  const values = Float64Array.from({ length: 1024 }, (_, i) => (i % 97) / 10);
  const ours = loopNs(5_000_000, (n) => {
    for (let i = 0; i < n; i++) hrHandle.observe(values[i & 1023]);
  });
  const theirs = loopNs(1_000_000, (n) => {
    for (let i = 0; i < n; i++) promChild.observe(values[i & 1023]);
  });
  const otelNs = nsPerOp((i) => otel.record(values[i & 1023], attrs), 500_000);
  return [
    lowerIsBetter("histogram.bound", "ns/op", ours, "prom-client labels().observe()", theirs),
    lowerIsBetter(
      "histogram.bound.otel",
      "ns/op",
      ours,
      "@opentelemetry/sdk-metrics record(v, attrs)",
      otelNs,
    ),
  ];
}

async function render24k(): Promise<BenchResult> {
  const hr = createRegistry({ seriesLimit: 20_000 });
  const hrC = hr.counter({ name: "c_total", help: "c", labelNames: LABELS });
  const hrH = hr.histogram({ name: "h_seconds", help: "h", labelNames: LABELS });
  const promRegistry = new client.Registry();
  const pC = new client.Counter({
    name: "c_total",
    help: "c",
    labelNames: LABELS,
    registers: [promRegistry],
  });
  const pH = new client.Histogram({
    name: "h_seconds",
    help: "h",
    labelNames: LABELS,
    registers: [promRegistry],
  });
  for (let i = 0; i < 10_000; i++) {
    const labels = { method: "GET", route: `/r${i}`, status: String(200 + (i % 5)) };
    hrC.inc(labels, i);
    pC.inc(labels, i);
  }
  for (let i = 0; i < 1_000; i++) {
    const labels = { method: "POST", route: `/h${i}`, status: "200" };
    hrH.observe(labels, i / 100);
    pH.observe(labels, i / 100);
  }
  const lines = encodePrometheusText(hr.snapshot()).split("\n").length - 1;
  if (lines < 24_000) throw new Error(`render.24k renders only ${lines} lines`);
  const ours = await msPerCall(() => encodePrometheusText(hr.snapshot()), 41, 5);
  const theirs = await msPerCall(() => promRegistry.metrics(), 41, 5);
  return lowerIsBetter("render.24k", "ms/render", ours, "prom-client register.metrics()", theirs);
}

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("memory.series needs node --expose-gc (npm run bench passes it)");
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Heap bytes per series after creating `n` series and keeping them alive. One round per call:
 * repeated rounds in one function let V8 keep the previous round's objects alive across the
 * "before" reading, which hides their cost.
 */
function bytesPerSeries(create: () => { add: (i: number) => void; owner: unknown }, n = 100_000): number {
  const before = heapAfterGc();
  const { add, owner } = create();
  for (let i = 0; i < n; i++) add(i);
  const after = heapAfterGc();
  if (owner === undefined) throw new Error("unreachable");
  return (after - before) / n;
}

function memorySeries(): BenchResult {
  const ours = bytesPerSeries(() => {
    const r = createRegistry({ seriesLimit: 200_000 });
    const c = r.counter({ name: "c_total", help: "c", labelNames: LABELS });
    return { owner: r, add: (i) => c.inc({ method: "GET", route: `/route/${i}`, status: "200" }) };
  });
  const theirs = bytesPerSeries(() => {
    const c = new client.Counter({ name: "c_total", help: "c", labelNames: LABELS, registers: [] });
    return { owner: c, add: (i) => c.inc({ method: "GET", route: `/route/${i}`, status: "200" }) };
  });
  return lowerIsBetter("memory.series", "bytes/series", ours, "prom-client", theirs);
}

export async function run(): Promise<BenchResult[]> {
  // Render first: it is the case most sensitive to a heap left large by the others.
  const render = await render24k();
  return [counterBound(), ...counterUnbound(), ...histogramBound(), render, memorySeries()];
}
