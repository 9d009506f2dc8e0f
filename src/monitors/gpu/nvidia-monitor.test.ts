import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ErrorCode, HeadroomError, isHeadroomError } from "../../errors.js";
import { createRegistry } from "../../metrics/registry.js";
import { findFamily, findValue } from "../../metrics/snapshot.js";
import type { GpuSample } from "./gpu-sample.js";
import { createNvidiaMonitor } from "./nvidia-monitor.js";
import type { NvidiaProvider } from "./nvidia-provider.js";
import { parseQueryGpuCsv } from "./smi-csv.js";

const RECORDED = readFileSync(
  new URL("../../../test/fixtures/nvidia/busy-query-gpu-nounits.csv", import.meta.url),
  "utf8",
);
// The field list the recorded row was taken with (test/fixtures/nvidia/README.md).
const recordedFields =
  "index,uuid,name,pci.bus_id,driver_version,pstate,fan.speed,temperature.gpu,temperature.memory,utilization.gpu,utilization.memory,memory.total,memory.used,memory.free,memory.reserved,power.draw,power.draw.average,power.draw.instant,power.limit,enforced.power.limit,clocks.sm,clocks.gr,clocks.mem,clocks.max.sm,clocks_event_reasons.active,ecc.errors.uncorrected.volatile.total,compute_mode,persistence_mode".split(
    ",",
  );
const busy = parseQueryGpuCsv(RECORDED, recordedFields)[0];

function stubProvider(samples: (GpuSample | Error)[]): NvidiaProvider {
  let i = 0;
  return {
    start: async () => ({ available: true, backend: "nvidia-smi" }),
    status: () => ({ available: true, backend: "nvidia-smi" }),
    sample: async () => {
      const s = samples[Math.min(i++, samples.length - 1)];
      if (s instanceof Error) throw s;
      return s;
    },
    latest: () => undefined,
    refresh: async () => {},
    getVramUsageMb: () => 0,
    getVramPeakMb: () => 0,
    getVramCapacityMb: () => undefined,
    close: async () => {},
  };
}

const labels = { gpu: "0", UUID: busy.uuid, device: "nvidia0", modelName: "NVIDIA H100 80GB HBM3" };

test("a busy H100 sample becomes dcgm-exporter series", async () => {
  const registry = createRegistry();
  const proc = { pid: 429, name: "python3", usedBytes: 3050 * 2 ** 20 };
  const m = createNvidiaMonitor(
    stubProvider([{ timestampMs: 1, devices: [{ ...busy, processes: [proc] }] }]),
    registry,
  );
  await m.update();
  const snap = registry.snapshot();
  assert.equal(findValue(snap, "DCGM_FI_DEV_GPU_UTIL", labels), 100);
  assert.equal(findValue(snap, "DCGM_FI_DEV_FB_USED", labels), 3059);
  assert.equal(findValue(snap, "DCGM_FI_DEV_FB_FREE", labels), 78021);
  assert.equal(findValue(snap, "DCGM_FI_DEV_POWER_USAGE", labels), 699.21);
  assert.equal(findValue(snap, "DCGM_FI_DEV_SM_CLOCK", labels), 1365);
  assert.equal(
    findValue(snap, "headroom_gpu_process_memory_bytes", { pid: "429", process_name: "python3" }),
    3050 * 2 ** 20,
  );
  assert.equal(findValue(snap, "headroom_gpu_provider_available"), 1);
  assert.deepEqual(m.getUsageReport(), {
    currentBytes: 3059 * 2 ** 20,
    peakBytes: 3059 * 2 ** 20,
    totalCapacityBytes: 81559 * 2 ** 20,
  });
});

test("unsupported fields and ended processes drop their series; failures keep the monitor alive", async () => {
  const registry = createRegistry();
  const proc = { pid: 429, name: "python3", usedBytes: 1 };
  const provider = stubProvider([
    { timestampMs: 1, devices: [{ ...busy, processes: [proc] }] },
    { timestampMs: 2, devices: [{ ...busy, utilizationGpu: undefined, processes: [] }] },
    new HeadroomError(ErrorCode.Unavailable, "[gpu:nvidia] not available: nvidia-smi exited with code 3"),
    { timestampMs: 3, devices: [{ ...busy, processes: [] }] },
  ]);
  const m = createNvidiaMonitor(provider, registry);
  await m.update();
  await m.update();
  let snap = registry.snapshot();
  assert.equal(findValue(snap, "DCGM_FI_DEV_GPU_UTIL", labels), undefined);
  assert.equal(findFamily(snap, "headroom_gpu_process_memory_bytes")?.series.length, 0);
  await assert.rejects(m.update(), (e) => isHeadroomError(e, "HR_UNAVAILABLE"));
  assert.equal(findValue(registry.snapshot(), "headroom_gpu_provider_available"), 0);
  await m.update();
  snap = registry.snapshot();
  assert.equal(findValue(snap, "DCGM_FI_DEV_GPU_UTIL", labels), 100);
  assert.equal(findValue(snap, "headroom_gpu_provider_available"), 1);
});
