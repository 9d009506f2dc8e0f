import assert from "node:assert/strict";
import { test } from "node:test";
import type { MetricFamily, MetricsSnapshot } from "../../metrics/snapshot.js";
import { createStyle } from "../style.js";
import { renderTop } from "./top-render.js";

const fam = (
  name: string,
  type: "counter" | "gauge",
  series: [Record<string, string>, number][],
): MetricFamily => ({
  name,
  help: "",
  unit: "",
  labelNames: Object.keys(series[0]?.[0] ?? {}),
  type,
  series: series.map(([labels, value]) => ({ labels, value })),
});

function snap(t: number, idle: number, rx: number, cpuA: number): MetricsSnapshot {
  return {
    timestampMs: t,
    families: [
      fam("node_cpu_seconds_total", "counter", [
        [{ cpu: "0", mode: "idle" }, idle],
        [{ cpu: "0", mode: "user" }, t / 1000 - idle],
      ]),
      fam("node_load1", "gauge", [[{}, 0.5]]),
      fam("node_load5", "gauge", [[{}, 0.4]]),
      fam("node_load15", "gauge", [[{}, 0.3]]),
      fam("node_memory_MemTotal_bytes", "gauge", [[{}, 1024 ** 3]]),
      fam("node_memory_MemAvailable_bytes", "gauge", [[{}, 512 * 1024 ** 2]]),
      fam("node_network_receive_bytes_total", "counter", [[{ device: "eth0" }, rx]]),
      fam("node_network_transmit_bytes_total", "counter", [[{ device: "eth0" }, 0]]),
      fam("container_cpu_usage_seconds_total", "counter", [
        [{ name: "<b>web</b>" }, cpuA],
        [{ name: "db" }, 1],
      ]),
      fam("container_memory_working_set_bytes", "gauge", [
        [{ name: "<b>web</b>" }, 10],
        [{ name: "db" }, 2048],
      ]),
      fam("DCGM_FI_DEV_GPU_UTIL", "gauge", [[{ gpu: "0" }, 42]]),
      fam("headroom_process_cpu_ratio", "gauge", [[{ pid: "7", name: "node" }, 0.25]]),
      fam("headroom_process_resident_memory_bytes", "gauge", [
        [{ pid: "7", name: "node" }, 2 * 1024 ** 2],
        [{ pid: "9", name: "sqlite" }, 1024],
      ]),
    ],
  };
}

test("top frame: CPU per core, load, memory, network rates, containers sorted, GPUs, alerts", () => {
  const prev = snap(10_000, 5, 0, 0);
  const cur = snap(12_000, 6, 2048, 1);
  const frame = renderTop(
    prev,
    cur,
    [{ name: "HighCpu", state: "firing", severity: "warning", labels: {} }],
    "cpu",
    createStyle(false),
  );
  assert.match(frame, /cpu0 +\[\|{10} {10}\] {2}50\.0%/);
  assert.match(frame, /load {3}0\.50 0\.40 0\.30/);
  assert.match(frame, /mem .* 50\.0% {2}512\.0 MiB \/ 1\.0 GiB/);
  assert.match(frame, /eth0 +1\.0 KiB +0 B/);
  assert.ok(frame.indexOf("<b>web</b>") < frame.indexOf("db"), "sorted by CPU");
  assert.ok(
    renderTop(prev, cur, [], "memory", createStyle(false)).indexOf("db") <
      renderTop(prev, cur, [], "memory", createStyle(false)).indexOf("<b>web</b>"),
  );
  assert.match(frame, /0 +42%/);
  assert.match(frame, /7 +node +25\.0% +2\.0 MiB/);
  assert.match(frame, /9 +sqlite +0\.0% +1\.0 KiB/);
  assert.match(frame, /alerts: HighCpu \(firing\)/);
  assert.doesNotMatch(frame, /\x1b\[/);
  assert.match(renderTop(prev, prev, [], "name", createStyle(false)), /no firing alerts/);
});
