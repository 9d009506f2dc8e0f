/**
 * One frame of `headroom top`, as a pure function of two consecutive snapshots (rates need
 * both) and the alert list: CPU per core, memory, load, filesystems, network, top processes,
 * containers, GPUs and firing alerts. Series names are the wire names (node_exporter, cAdvisor,
 * dcgm-exporter), so the view fills in as each monitor reports.
 */
import { findFamily, findValue, type MetricsSnapshot, type ScalarSeries } from "../../metrics/snapshot.js";
import type { AlertView } from "../../server/sources.js";
import type { Style } from "../style.js";
import { humanBytes, table } from "../style.js";

export type TopSort = "cpu" | "memory" | "name";

function scalar(s: MetricsSnapshot, name: string): readonly ScalarSeries[] {
  const f = findFamily(s, name);
  return f && f.type !== "histogram" && f.type !== "summary" ? f.series : [];
}

function byKey(series: readonly ScalarSeries[], label: string): Map<string, ScalarSeries[]> {
  const out = new Map<string, ScalarSeries[]>();
  for (const s of series) {
    const k = s.labels[label] ?? "";
    out.set(k, [...(out.get(k) ?? []), s]);
  }
  return out;
}

function bar(pct: number, width = 20): string {
  const n = Math.max(0, Math.min(width, Math.round((pct / 100) * width)));
  return `[${"|".repeat(n)}${" ".repeat(width - n)}] ${pct.toFixed(1).padStart(5)}%`;
}

/** Per-second increase of each series of a counter between two snapshots, keyed by `label`. */
function rates(
  prev: MetricsSnapshot,
  cur: MetricsSnapshot,
  name: string,
  label: string,
): Map<string, number> {
  const dt = (cur.timestampMs - prev.timestampMs) / 1000;
  const before = new Map(scalar(prev, name).map((s) => [s.labels[label], s.value]));
  const out = new Map<string, number>();
  if (dt <= 0) return out;
  for (const s of scalar(cur, name)) {
    const b = before.get(s.labels[label]);
    if (b !== undefined && s.value >= b) out.set(s.labels[label], (s.value - b) / dt);
  }
  return out;
}

export function renderTop(
  prev: MetricsSnapshot,
  cur: MetricsSnapshot,
  alerts: readonly AlertView[],
  sort: TopSort,
  style: Style,
): string {
  const out: string[] = [
    style.bold(`headroom top  ${new Date(cur.timestampMs).toISOString()}  (q quit, c/m/n sort)`),
  ];
  // Per-core usage from the CPU monitor's derived gauge; from counter deltas when it is absent.
  const cores = scalar(cur, "headroom_cpu_core_usage_percent");
  for (const s of cores) out.push(`cpu${(s.labels.cpu ?? "").padEnd(3)} ${bar(s.value)}`);
  const cpuBefore = byKey(scalar(prev, "node_cpu_seconds_total"), "cpu");
  for (const [cpu, series] of cores.length ? [] : byKey(scalar(cur, "node_cpu_seconds_total"), "cpu")) {
    const old = cpuBefore.get(cpu) ?? [];
    const sum = (list: readonly ScalarSeries[], busy: boolean) =>
      list
        .filter((s) => (s.labels.mode === "idle" || s.labels.mode === "iowait") !== busy)
        .reduce((a, s) => a + s.value, 0);
    const total = sum(series, true) + sum(series, false) - sum(old, true) - sum(old, false);
    if (total > 0)
      out.push(`cpu${cpu.padEnd(3)} ${bar(((sum(series, true) - sum(old, true)) / total) * 100)}`);
  }
  const load = [1, 5, 15].map((m) => findValue(cur, `node_load${m}`));
  if (load[0] !== undefined) out.push(`load   ${load.map((v) => v?.toFixed(2) ?? "-").join(" ")}`);
  const memTotal = findValue(cur, "node_memory_MemTotal_bytes");
  const memAvail = findValue(cur, "node_memory_MemAvailable_bytes");
  if (memTotal && memAvail !== undefined) {
    out.push(
      `mem    ${bar(((memTotal - memAvail) / memTotal) * 100)}  ${humanBytes(memTotal - memAvail)} / ${humanBytes(memTotal)}`,
    );
  }
  const fsRows = scalar(cur, "node_filesystem_size_bytes").flatMap((s) => {
    const avail = findValue(cur, "node_filesystem_avail_bytes", { mountpoint: s.labels.mountpoint ?? "" });
    return s.value > 0 && avail !== undefined
      ? [
          [
            s.labels.mountpoint ?? "",
            humanBytes(s.value - avail),
            humanBytes(s.value),
            `${(((s.value - avail) / s.value) * 100).toFixed(1)}%`,
          ],
        ]
      : [];
  });
  if (fsRows.length) out.push("", table(["filesystem", "used", "size", "use"], fsRows));
  const perSecond = (name: string) => new Map(scalar(cur, name).map((s) => [s.labels.device ?? "", s.value]));
  const derivedRx = perSecond("headroom_network_receive_bytes_per_second");
  const rx = derivedRx.size ? derivedRx : rates(prev, cur, "node_network_receive_bytes_total", "device");
  const tx = derivedRx.size
    ? perSecond("headroom_network_transmit_bytes_per_second")
    : rates(prev, cur, "node_network_transmit_bytes_total", "device");
  if (rx.size)
    out.push(
      "",
      table(
        ["interface", "rx/s", "tx/s"],
        [...rx].map(([d, v]) => [d, humanBytes(Math.round(v)), humanBytes(Math.round(tx.get(d) ?? 0))]),
      ),
    );
  const containerCpu = rates(prev, cur, "container_cpu_usage_seconds_total", "name");
  const containerMem = new Map(
    scalar(cur, "container_memory_working_set_bytes").map((s) => [s.labels.name ?? "", s.value]),
  );
  const names = [...new Set([...containerCpu.keys(), ...containerMem.keys()])];
  if (names.length) {
    const key = (n: string) =>
      sort === "cpu" ? -(containerCpu.get(n) ?? 0) : sort === "memory" ? -(containerMem.get(n) ?? 0) : 0;
    names.sort((a, b) => key(a) - key(b) || a.localeCompare(b));
    out.push(
      "",
      table(
        ["container", "cpu", "memory"],
        names
          .slice(0, 15)
          .map((n) => [
            n,
            `${((containerCpu.get(n) ?? 0) * 100).toFixed(1)}%`,
            humanBytes(containerMem.get(n) ?? 0),
          ]),
      ),
    );
  }
  // The process monitor keeps top lists by CPU and by memory; a pid may be in either.
  const procs = new Map<string, { pid: string; name: string; cpu: number; rss: number }>();
  const proc = (s: ScalarSeries) => {
    const pid = s.labels.pid ?? "";
    let row = procs.get(pid);
    if (!row) {
      row = { pid, name: s.labels.name ?? "", cpu: 0, rss: 0 };
      procs.set(pid, row);
    }
    return row;
  };
  for (const s of scalar(cur, "headroom_process_cpu_ratio")) proc(s).cpu = s.value;
  for (const s of scalar(cur, "headroom_process_resident_memory_bytes")) proc(s).rss = s.value;
  if (procs.size) {
    const rows = [...procs.values()];
    rows.sort((a, b) =>
      sort === "cpu" ? b.cpu - a.cpu : sort === "memory" ? b.rss - a.rss : a.name.localeCompare(b.name),
    );
    out.push(
      "",
      table(
        ["pid", "process", "cpu", "rss"],
        rows.slice(0, 10).map((r) => [r.pid, r.name, `${(r.cpu * 100).toFixed(1)}%`, humanBytes(r.rss)]),
      ),
    );
  }
  const gpus = scalar(cur, "DCGM_FI_DEV_GPU_UTIL");
  if (gpus.length) {
    out.push(
      "",
      table(
        ["gpu", "util", "vram used", "temp", "power"],
        gpus.map((g) => {
          const m = { gpu: g.labels.gpu ?? "" };
          const fb = findValue(cur, "DCGM_FI_DEV_FB_USED", m);
          return [
            g.labels.gpu ?? "",
            `${g.value}%`,
            fb === undefined ? "-" : `${fb} MiB`,
            `${findValue(cur, "DCGM_FI_DEV_GPU_TEMP", m) ?? "-"} C`,
            `${findValue(cur, "DCGM_FI_DEV_POWER_USAGE", m) ?? "-"} W`,
          ];
        }),
      ),
    );
  }
  const firing = alerts.filter((a) => a.state === "firing" || a.state === "pending");
  out.push(
    "",
    firing.length
      ? style.red(`alerts: ${firing.map((a) => `${a.name} (${a.state})`).join(", ")}`)
      : style.green("no firing alerts"),
  );
  return `${out.join("\n")}\n`;
}
