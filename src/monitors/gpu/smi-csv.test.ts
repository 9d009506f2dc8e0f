import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { isHeadroomError } from "../../errors.js";
import { MIB } from "./gpu-sample.js";
import { mapNvmlDevice, type NvmlRawDevice } from "./nvml-map.js";
import { parseComputeAppLine, parseComputeAppsCsv, parseQueryGpuCsv, parseQueryGpuLine } from "./smi-csv.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/nvidia/${name}`, import.meta.url), "utf8");

// The field list the recorded H100 files were taken with (test/fixtures/nvidia/README.md).
const RECORDED_FIELDS = [
  "index",
  "uuid",
  "name",
  "pci.bus_id",
  "driver_version",
  "pstate",
  "fan.speed",
  "temperature.gpu",
  "temperature.memory",
  "utilization.gpu",
  "utilization.memory",
  "memory.total",
  "memory.used",
  "memory.free",
  "memory.reserved",
  "power.draw",
  "power.draw.average",
  "power.draw.instant",
  "power.limit",
  "enforced.power.limit",
  "clocks.sm",
  "clocks.gr",
  "clocks.mem",
  "clocks.max.sm",
  "clocks_event_reasons.active",
  "ecc.errors.uncorrected.volatile.total",
  "compute_mode",
  "persistence_mode",
];

test("busy H100 --query-gpu nounits", () => {
  const [gpu] = parseQueryGpuCsv(fixture("busy-query-gpu-nounits.csv"), RECORDED_FIELDS);
  assert.equal(gpu.index, 0);
  assert.equal(gpu.uuid, "GPU-78d16c80-117f-35d5-f954-ef186cc924bd");
  assert.equal(gpu.name, "NVIDIA H100 80GB HBM3");
  assert.equal(gpu.utilizationGpu, 100);
  assert.equal(gpu.utilizationMemory, 31);
  assert.equal(gpu.memoryTotalBytes, 81559 * MIB);
  assert.equal(gpu.memoryUsedBytes, 3059 * MIB);
  assert.equal(gpu.memoryFreeBytes, 78021 * MIB);
  assert.equal(gpu.temperatureC, 58);
  assert.equal(gpu.powerDrawW, 699.21);
  assert.equal(gpu.powerLimitW, 700);
  assert.equal(gpu.smClockMhz, 1365);
  assert.equal(gpu.memClockMhz, 2619);
});

test("idle H100 with units parses the same numbers, [N/A] fan is ignored", () => {
  const units = fixture("idle-query-gpu-units.csv").split("\n").slice(1).join("\n");
  const [a] = parseQueryGpuCsv(units, RECORDED_FIELDS);
  const [b] = parseQueryGpuCsv(fixture("idle-query-gpu-nounits.csv"), RECORDED_FIELDS);
  assert.equal(a.memoryUsedBytes, 0);
  assert.equal(a.utilizationGpu, 0);
  assert.equal(b.powerDrawW, 70.68);
  assert.equal(a.smClockMhz, b.smClockMhz);
});

test("loop-mode output: one line per iteration", () => {
  const lines = parseQueryGpuCsv(fixture("busy-loop-lms500.csv"), [
    "index",
    "utilization.gpu",
    "memory.used",
    "power.draw",
    "temperature.gpu",
  ]);
  assert.equal(lines.length, 8);
  assert.deepEqual(
    lines.map((l) => l.temperatureC),
    [59, 58, 59, 58, 60, 60, 60, 60],
  );
  assert.equal(lines[1].powerDrawW, 699.15);
  assert.equal(lines[0].memoryTotalBytes, undefined, "a field not asked for is undefined");
});

test("[N/A] and [Not Supported] become undefined, never 0", () => {
  const g = parseQueryGpuLine(
    "1, GPU-x, Tesla T4, [N/A], [Not Supported], 15360, 0, 15360, 40, [N/A], 70.00, 300, 5000",
  );
  assert.equal(g.index, 1);
  assert.equal(g.utilizationGpu, undefined);
  assert.equal(g.utilizationMemory, undefined);
  assert.equal(g.powerDrawW, undefined);
  assert.equal(g.powerLimitW, 70);
});

test("malformed query-gpu lines name the line and field", () => {
  const cases = [
    "0, GPU-x, H100, 100, 31",
    "0, GPU-x, H100, lots, 31, 81559, 3059, 78021, 58, 699.21, 700.00, 1365, 2619",
    "x, GPU-x, H100, 100, 31, 81559, 3059, 78021, 58, 699.21, 700.00, 1365, 2619",
    "-1, GPU-x, H100, 100, 31, 81559, 3059, 78021, 58, 699.21, 700.00, 1365, 2619",
    "",
  ];
  for (const line of cases) {
    assert.throws(
      () => parseQueryGpuLine(line, 3),
      (e) => isHeadroomError(e, "HR_PARSE") && /line 3/.test(e.message),
    );
  }
  assert.throws(
    () => parseQueryGpuCsv("0, GPU-x, H100, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1\nNVIDIA-SMI has failed\n"),
    (e) => isHeadroomError(e, "HR_PARSE") && (e.data as { line: number }).line === 2,
  );
  assert.throws(
    () => parseQueryGpuLine("1, 2", 1, ["uuid", "name"]),
    (e) => isHeadroomError(e, "HR_PARSE"),
  );
});

test("compute apps: recorded busy and idle output", () => {
  const [p] = parseComputeAppsCsv(fixture("busy-compute-apps-nounits.csv"), [
    "pid",
    "process_name",
    "used_memory",
  ]);
  assert.deepEqual(p, { pid: 429, name: "python3", usedBytes: 3050 * MIB, gpuUuid: "", timestamp: "" });
  assert.deepEqual(parseComputeAppsCsv(fixture("idle-compute-apps-nounits.csv")), []);
});

test("compute apps: a process name holding commas, [N/A] memory, malformed lines", () => {
  const p = parseComputeAppLine("2026/11/22 10:48:01.123, GPU-a, 77, [N/A], python3 -c a, b");
  assert.equal(p.name, "python3 -c a, b");
  assert.equal(p.usedBytes, undefined);
  assert.equal(p.gpuUuid, "GPU-a");
  assert.throws(
    () => parseComputeAppLine("ts, GPU-a, pid, 1, x"),
    (e) => isHeadroomError(e, "HR_PARSE"),
  );
  assert.throws(
    () => parseComputeAppLine("ts, GPU-a"),
    (e) => isHeadroomError(e, "HR_PARSE"),
  );
});

test("NVML readings recorded on an H100 map to the same sample shape", () => {
  for (const [file, used, util, procs] of [
    ["nvml-idle.jsonl", 503316480, 0, 0],
    ["nvml-busy.jsonl", 3710713856, 100, 1],
  ] as const) {
    const rec = fixture(file)
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l))
      .find((r) => r.first !== undefined);
    const raw: NvmlRawDevice = { index: 0, name: rec.name, ...rec.first };
    const g = mapNvmlDevice(raw, (pid) => `pid${pid}`);
    assert.equal(g.memoryUsedBytes, used);
    assert.equal(g.memoryTotalBytes, 85520809984);
    assert.equal(g.utilizationGpu, util);
    assert.equal(g.powerLimitW, 700);
    assert.equal(g.processes.length, procs);
    if (procs > 0) assert.deepEqual(g.processes[0], { pid: 429, name: "pid429", usedBytes: 3198156800 });
  }
});

test("NVML mapping: not-available sentinels and garbage", () => {
  const g = mapNvmlDevice({ index: 2, procs: [{ pid: 5, usedGpuMemory: 2 ** 64 }] });
  assert.equal(g.processes[0].usedBytes, undefined);
  assert.equal(g.temperatureC, undefined);
  for (const bad of [Number.NaN, -1, "12"]) {
    assert.throws(
      () => mapNvmlDevice({ index: 2, tempC: bad as number }),
      (e) => isHeadroomError(e, "HR_INVALID_VALUE") && /tempC/.test(e.message),
    );
  }
});
