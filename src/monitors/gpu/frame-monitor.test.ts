import assert from "node:assert/strict";
import { test } from "node:test";
import { createRegistry } from "../../metrics/registry.js";
import { findFamily, findValue, type HistogramFamily } from "../../metrics/snapshot.js";
import { createGpuMonitor } from "./frame-monitor.js";
import { GpuReport, hookTimingsFromTimestamps } from "./gpu-report.js";

function setup() {
  let t = 1000;
  const clock = { advance: (ms: number) => (t += ms) };
  const registry = createRegistry();
  const gpu = createGpuMonitor(registry, { now: () => t, abandonAfterMs: 500 });
  const errors = (reason: string) =>
    findValue(registry.snapshot(), "headroom_gpu_frame_errors_total", { reason }) ?? 0;
  return { registry, gpu, clock, errors };
}

test("a live frame records hook timings, derived CPU times and histograms", () => {
  const { registry, gpu, clock } = setup();
  const frame = gpu.frames.begin();
  clock.advance(2);
  frame.mark("MainPassBegin");
  clock.advance(10);
  frame.mark("MainPassEnd");
  clock.advance(4);
  frame.end();
  const r = gpu.getGpuReport();
  assert.ok(r instanceof GpuReport);
  assert.equal(r.frameNumber, 0);
  assert.deepEqual([...r.hookTimingsUs], [0, 2000, 12000, 16000]);
  assert.equal(r.frameTotalDurationUs(), 16000);
  assert.equal(r.cpuPreparationTimeUs, 2000);
  assert.equal(r.cpuSubmissionTimeUs, 4000);
  assert.deepEqual(gpu.getUsageReport(), { currentBytes: 16000, peakBytes: 16000 });
  const snap = registry.snapshot();
  const h = findFamily(snap, "headroom_gpu_frame_duration_seconds") as HistogramFamily;
  assert.equal(h.series[0].count, 1);
  assert.ok(Math.abs(h.series[0].sum - 0.016) < 1e-9);
  assert.equal(
    (findFamily(snap, "headroom_gpu_main_pass_duration_seconds") as HistogramFamily).series[0].count,
    1,
  );
  assert.equal(findValue(snap, "headroom_gpu_cpu_submission_seconds"), 0.004);
  assert.equal(findValue(snap, "headroom_gpu_frames_total"), 1);
});

test("using a frame ends it; frame numbers increase", () => {
  const { gpu, clock, errors } = setup();
  for (let i = 0; i < 3; i++) {
    using frame = gpu.frames.begin();
    clock.advance(5);
    if (i === 2) frame.end();
  }
  assert.equal(gpu.getGpuReport()?.frameNumber, 2);
  assert.equal(gpu.getGpuReport()?.hookTimingsUs[1], undefined, "MainPassBegin never marked");
  assert.equal(gpu.getGpuReport()?.cpuPreparationTimeUs, undefined);
  assert.equal(errors("already_ended"), 0, "dispose after end() is not misuse");
});

test("hooks out of order, unknown hooks and double ends are counted and ignored", () => {
  const { gpu, clock, errors } = setup();
  const frame = gpu.frames.begin();
  clock.advance(3);
  frame.mark("MainPassEnd");
  frame.mark("MainPassBegin");
  frame.mark("FrameStart");
  frame.mark("Bogus" as "FrameEnd");
  clock.advance(1);
  frame.end();
  frame.end();
  frame.mark("MainPassEnd");
  assert.equal(errors("out_of_order"), 2);
  assert.equal(errors("unknown_hook"), 1);
  assert.equal(errors("already_ended"), 2);
  assert.deepEqual([...(gpu.getGpuReport()?.hookTimingsUs ?? [])], [0, undefined, 3000, 4000]);
});

test("frames never ended: a new begin drops the old one, update drops a stale one", () => {
  const { registry, gpu, clock, errors } = setup();
  const lost = gpu.frames.begin();
  clock.advance(1);
  const next = gpu.frames.begin();
  assert.equal(errors("not_ended"), 1);
  lost.end();
  assert.equal(errors("already_ended"), 1, "ending a dropped frame does not record it");
  clock.advance(1000);
  gpu.update();
  assert.equal(errors("not_ended"), 2);
  next.end();
  assert.equal(findValue(registry.snapshot(), "headroom_gpu_frames_total"), 0);
  const ok = gpu.frames.begin();
  clock.advance(1);
  ok.end();
  gpu.update();
  assert.equal(findValue(registry.snapshot(), "headroom_gpu_frames_total"), 1);
});

test("updateFromFrameStats accepts application and GPU-timestamp stats, rejects garbage", () => {
  const { gpu, errors } = setup();
  assert.ok(
    gpu.updateFromFrameStats({
      frameNumber: 41,
      hookTimingsUs: [0, 100, 900, 1000],
      cpuSubmissionTimeUs: 50,
    }),
  );
  assert.equal(gpu.getGpuReport()?.frameNumber, 41);
  assert.equal(gpu.getGpuReport()?.cpuSubmissionTimeUs, 50);
  assert.equal(gpu.getGpuReport()?.cpuPreparationTimeUs, 100);
  const t = hookTimingsFromTimestamps(new BigUint64Array([5_000_000n, 5_250_000n, 9_000_000n, 9_500_000n]));
  assert.deepEqual([...t], [0, 250, 4000, 4500]);
  assert.ok(gpu.updateFromFrameStats({ hookTimingsUs: t }));
  assert.equal(gpu.getGpuReport()?.frameTotalDurationUs(), 4500);
  assert.ok(gpu.updateFromFrameStats({ hookTimingsUs: [0, null, null, 10] }));
  const garbage: unknown[] = [
    undefined,
    {},
    { hookTimingsUs: [0, 1, 2] },
    { hookTimingsUs: [0, 5, 3, 10] },
    { hookTimingsUs: [0, Number.NaN, 3, 10] },
    { hookTimingsUs: [-1, 0, 3, 10] },
    { hookTimingsUs: ["0", 1, 2, 3] },
    { hookTimingsUs: [0, 1, 2, 3], frameNumber: -1 },
    { hookTimingsUs: [0, 1, 2, 3], cpuPreparationTimeUs: Number.POSITIVE_INFINITY },
  ];
  for (const g of garbage) assert.equal(gpu.updateFromFrameStats(g as never), false);
  assert.equal(errors("invalid_stats"), garbage.length);
  assert.equal(gpu.getGpuReport()?.frameTotalDurationUs(), 10);
});
