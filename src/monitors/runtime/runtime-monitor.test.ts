import assert from "node:assert/strict";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { collectDefaultMetrics, Registry as PromRegistry } from "prom-client";
import { createRegistry } from "../../metrics/registry.js";
import { findFamily, findValue, type HistogramFamily } from "../../metrics/snapshot.js";
import { LoopDelayWindow } from "./event-loop.js";
import { gcKind } from "./gc-observer.js";
import { parseMaxFds, parseProcStatus } from "./proc-self.js";
import { createRuntimeMonitor } from "./runtime-monitor.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {}
}

test("every prom-client default metric is there, with the same type and label names", async () => {
  const prom = new PromRegistry();
  collectDefaultMetrics({ register: prom });
  const theirs = await prom.getMetricsAsJSON();
  const registry = createRegistry();
  const runtime = createRuntimeMonitor(registry);
  try {
    await new Promise((r) => setTimeout(r, 30));
    await runtime.update();
    const snap = registry.snapshot();
    for (const metric of theirs) {
      const fam = findFamily(snap, metric.name);
      assert.ok(fam, `${metric.name} is missing`);
      const type = fam.type === "info" ? "gauge" : fam.type;
      assert.equal(type, metric.type, metric.name);
      const theirLabels = new Set(
        metric.values.flatMap((v) => Object.keys(v.labels)).filter((l) => l !== "le"),
      );
      for (const l of theirLabels) assert.ok(fam.labelNames.includes(l), `${metric.name} lacks label ${l}`);
    }
  } finally {
    runtime.close();
  }
});

test("values are plausible and follow the process", async () => {
  const registry = createRegistry();
  const runtime = createRuntimeMonitor(registry, { eventLoopResolutionMs: 1 });
  try {
    await new Promise((r) => setTimeout(r, 20));
    busy(30);
    // The delay is recorded when the loop gets back to the histogram's timer.
    await new Promise((r) => setTimeout(r, 10));
    await runtime.update();
    const snap = registry.snapshot();
    const v = (name: string, labels?: Record<string, string>) => findValue(snap, name, labels) ?? Number.NaN;
    assert.ok(v("process_resident_memory_bytes") > 10e6);
    assert.ok(v("nodejs_heap_size_used_bytes") <= v("nodejs_heap_size_total_bytes"));
    assert.ok(v("process_cpu_seconds_total") >= v("process_cpu_user_seconds_total"));
    assert.ok(v("process_cpu_seconds_total") > 0);
    assert.ok(v("process_open_fds") > 2);
    assert.ok(v("process_max_fds") >= v("process_open_fds"));
    assert.ok(v("nodejs_eventloop_lag_max_seconds") >= 0.02, "a 30 ms block shows as delay");
    assert.ok(v("nodejs_eventloop_lag_p50_seconds") <= v("nodejs_eventloop_lag_p99_seconds"));
    assert.ok(v("nodejs_eventloop_lag_seconds") >= 0);
    const elu = v("headroom_nodejs_eventloop_utilization");
    assert.ok(elu > 0 && elu <= 1, `utilization ${elu}`);
    assert.ok(v("nodejs_heap_space_size_used_bytes", { space: "old" }) > 0);
    assert.equal(v("nodejs_version_info", { version: process.version }), 1);
    assert.ok(v("process_start_time_seconds") <= Date.now() / 1000);
    assert.ok(v("nodejs_active_resources_total") >= 0);
    const report = runtime.getUsageReport();
    assert.ok(report.currentBytes > 0 && report.peakBytes >= report.currentBytes);
    assert.ok((report.totalCapacityBytes ?? 0) > report.peakBytes);
    const timer = setTimeout(() => {}, 10_000);
    runtime.sampleSync();
    assert.ok((findValue(registry.snapshot(), "nodejs_active_resources", { type: "Timeout" }) ?? 0) >= 1);
    clearTimeout(timer);
  } finally {
    runtime.close();
  }
});

test("GC pauses land in the histogram by kind", async () => {
  const registry = createRegistry();
  const runtime = createRuntimeMonitor(registry);
  try {
    gc();
    await new Promise((r) => setTimeout(r, 50));
    const h = findFamily(registry.snapshot(), "nodejs_gc_duration_seconds") as HistogramFamily;
    const major = h.series.find((s) => s.labels.kind === "major");
    assert.ok(major && major.count >= 1, "a forced full GC is a major pause");
    assert.equal(gcKind(undefined), "unknown");
    assert.equal(gcKind(99), "unknown");
  } finally {
    runtime.close();
  }
});

test("the delay window resets only when it has run its course, and never reads empty", async () => {
  let t = 0;
  const w = new LoopDelayWindow({ resolutionMs: 1, windowMs: 1000, now: () => t });
  try {
    assert.equal(w.read(), undefined, "no delay sample yet");
    await new Promise((r) => setTimeout(r, 20));
    busy(25);
    await new Promise((r) => setTimeout(r, 5));
    const first = w.read();
    assert.ok(first && first.count > 0 && first.max >= 0.02);
    t = 500;
    const second = w.read();
    assert.ok(second && second.count >= first.count, "no reset inside the window");
    t = 1000;
    w.read();
    const afterReset = w.read();
    assert.ok(afterReset && afterReset.max >= 0.02, "a fresh, empty window reports the previous figures");
  } finally {
    w.close();
  }
});

test("/proc/self parsers, malformed input included", () => {
  const limits = [
    "Limit                     Soft Limit           Hard Limit           Units     ",
    "Max cpu time              unlimited            unlimited            seconds   ",
    "Max open files            20000                20000                files     ",
  ].join("\n");
  assert.equal(parseMaxFds(limits), 20000);
  assert.equal(
    parseMaxFds("Max open files            unlimited            unlimited            files"),
    undefined,
  );
  assert.equal(parseMaxFds(""), undefined);
  assert.equal(parseMaxFds("Max open files  lots  lots files"), undefined);
  const status = "Name:\tnode\nVmSize:\t 1149784 kB\nVmRSS:\t   55312 kB\nVmData:\t  123456 kB\n";
  assert.deepEqual(parseProcStatus(status), {
    virtualBytes: 1149784 * 1024,
    residentBytes: 55312 * 1024,
    heapBytes: 123456 * 1024,
  });
  assert.deepEqual(parseProcStatus("VmSize: lots\n"), {
    virtualBytes: undefined,
    residentBytes: undefined,
    heapBytes: undefined,
  });
});
