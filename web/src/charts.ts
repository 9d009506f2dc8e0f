/**
 * The dashboard's charts: which series each draws (wire names: node_exporter, cAdvisor, dcgm,
 * prom-client, Headroom's derived `headroom_*`), how values are shown, and the uPlot wrapper
 * that loads a range from history and appends live samples.
 */
import uPlot from "uplot";
import { type QuerySeries, query } from "./api.js";
import { seriesKey } from "./series-key.js";

export type Unit = "percent" | "bytes" | "bytesPerSecond" | "seconds" | "plain" | "celsius" | "watts" | "mib";

export interface ChartDef {
  readonly id: string;
  readonly section: string;
  readonly title: string;
  /** Series selectors for /api/v1/query; each may match several series. */
  readonly series: readonly string[];
  readonly unit: Unit;
  /** The label that tells the series apart in the legend (cpu, mountpoint, device...). */
  readonly legendLabel?: string;
}

export const CHARTS: readonly ChartDef[] = [
  {
    id: "cpu",
    section: "Overview",
    title: "CPU usage",
    series: ["headroom_cpu_usage_percent"],
    unit: "percent",
  },
  {
    id: "memory",
    section: "Overview",
    title: "Memory usage",
    series: ["headroom_memory_usage_percent"],
    unit: "percent",
  },
  {
    id: "load",
    section: "Overview",
    title: "Load average",
    series: ["node_load1", "node_load5", "node_load15"],
    unit: "plain",
  },
  {
    id: "disk-io",
    section: "Overview",
    title: "Disk I/O",
    series: ["headroom_disk_read_bytes_per_second", "headroom_disk_written_bytes_per_second"],
    unit: "bytesPerSecond",
    legendLabel: "device",
  },
  {
    id: "network",
    section: "Overview",
    title: "Network",
    series: ["headroom_network_receive_bytes_per_second", "headroom_network_transmit_bytes_per_second"],
    unit: "bytesPerSecond",
    legendLabel: "device",
  },
  {
    id: "cores",
    section: "CPU per core",
    title: "Per-core usage",
    series: ["headroom_cpu_core_usage_percent"],
    unit: "percent",
    legendLabel: "cpu",
  },
  {
    id: "filesystems",
    section: "Filesystems",
    title: "Filesystem usage",
    series: ["headroom_filesystem_usage_percent"],
    unit: "percent",
    legendLabel: "mountpoint",
  },
  {
    id: "container-memory",
    section: "Containers",
    title: "Container memory (working set)",
    series: ["container_memory_working_set_bytes"],
    unit: "bytes",
    legendLabel: "name",
  },
  {
    id: "gpu-util",
    section: "GPUs",
    title: "GPU utilisation",
    series: ["DCGM_FI_DEV_GPU_UTIL"],
    unit: "percent",
    legendLabel: "gpu",
  },
  {
    id: "gpu-vram",
    section: "GPUs",
    title: "VRAM used",
    series: ["DCGM_FI_DEV_FB_USED"],
    unit: "mib",
    legendLabel: "gpu",
  },
  {
    id: "gpu-temp",
    section: "GPUs",
    title: "GPU temperature",
    series: ["DCGM_FI_DEV_GPU_TEMP"],
    unit: "celsius",
    legendLabel: "gpu",
  },
  {
    id: "gpu-power",
    section: "GPUs",
    title: "GPU power",
    series: ["DCGM_FI_DEV_POWER_USAGE"],
    unit: "watts",
    legendLabel: "gpu",
  },
  {
    id: "node-heap",
    section: "Node runtime",
    title: "Heap used",
    series: ["nodejs_heap_size_used_bytes"],
    unit: "bytes",
  },
  {
    id: "node-lag",
    section: "Node runtime",
    title: "Event-loop lag",
    series: ["nodejs_eventloop_lag_seconds"],
    unit: "seconds",
  },
  {
    id: "agent-rss",
    section: "Agent",
    title: "Agent memory (RSS)",
    series: ["headroom_agent_resident_memory_bytes"],
    unit: "bytes",
  },
  {
    id: "agent-tick",
    section: "Agent",
    title: "Collection tick duration",
    series: ["headroom_agent_tick_duration_seconds"],
    unit: "seconds",
  },
];

export function formatValue(unit: Unit, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "-";
  const bytes = (n: number) => {
    const u = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (Math.abs(n) >= 1024 && i < u.length - 1) {
      n /= 1024;
      i++;
    }
    return `${n.toFixed(i ? 1 : 0)} ${u[i]}`;
  };
  switch (unit) {
    case "percent":
      return `${v.toFixed(1)}%`;
    case "bytes":
      return bytes(v);
    case "bytesPerSecond":
      return `${bytes(v)}/s`;
    case "seconds":
      return v < 1 ? `${(v * 1000).toFixed(1)} ms` : `${v.toFixed(2)} s`;
    case "celsius":
      return `${v.toFixed(0)} °C`;
    case "watts":
      return `${v.toFixed(0)} W`;
    case "mib":
      return bytes(v * 1024 * 1024);
    default:
      return v.toFixed(2);
  }
}

const PALETTE = ["#3b82f6", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#ec4899", "#84cc16"];

function legendName(def: ChartDef, s: QuerySeries): string {
  const label = def.legendLabel ? s.labels[def.legendLabel] : undefined;
  const base = def.series.length > 1 ? s.name.replace(/^(headroom|node)_/, "") : def.title;
  return label !== undefined ? `${base} ${label}` : base;
}

/** One chart: its uPlot instance, the keys of its series and their data columns. */
export class Chart {
  readonly def: ChartDef;
  readonly root: HTMLElement;
  #plot: uPlot | undefined;
  #keys: string[] = [];
  #data: (number | null)[][] = [[]];
  #rangeMs = 0;

  constructor(def: ChartDef, root: HTMLElement) {
    this.def = def;
    this.root = root;
  }

  get points(): number {
    return this.#data[0].length;
  }

  /** Loads the range from history; hides the chart when no series matched (no GPU, no containers). */
  async load(rangeMs: number, points: number): Promise<number> {
    this.#rangeMs = rangeMs;
    const all = (await Promise.all(this.def.series.map((s) => query(s, rangeMs, points))))
      .flat()
      .slice(0, PALETTE.length * 2);
    this.#keys = all.map((s) => seriesKey(s.name, s.labels));
    const times = [...new Set(all.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
    const index = new Map(times.map((t, i) => [t, i]));
    const columns = all.map((s) => {
      const col: (number | null)[] = new Array(times.length).fill(null);
      for (const [t, v] of s.points) col[index.get(t)!] = v;
      return col;
    });
    this.#data = [times.map((t) => t / 1000), ...columns];
    this.root.hidden = all.length === 0;
    this.#render(all);
    this.#mark();
    return this.points;
  }

  /** Appends a live sample (values keyed by series key); drops points older than the range. */
  append(t: number, values: Map<string, number>): void {
    if (!this.#plot || this.#keys.length === 0) return;
    const ts = t / 1000;
    const x = this.#data[0] as number[];
    if (x.length > 0 && ts <= x[x.length - 1]) return;
    x.push(ts);
    for (let i = 0; i < this.#keys.length; i++) this.#data[i + 1].push(values.get(this.#keys[i]) ?? null);
    const cutoff = ts - this.#rangeMs / 1000;
    while (x.length > 2 && x[0] < cutoff) for (const col of this.#data) col.shift();
    this.#plot.setData(this.#data as uPlot.AlignedData);
    this.#mark();
  }

  resize(): void {
    this.#plot?.setSize(this.#size());
  }

  #mark(): void {
    this.root.dataset.points = String(this.points);
    const last = this.#data[1]?.findLast((v) => v !== null);
    const value = this.root.querySelector(".value");
    if (value) value.textContent = this.#keys.length === 1 ? formatValue(this.def.unit, last) : "";
  }

  #size(): { width: number; height: number } {
    const width = Math.max(240, (this.root.querySelector(".plot") as HTMLElement).clientWidth);
    return { width, height: 180 };
  }

  #render(all: QuerySeries[]): void {
    this.#plot?.destroy();
    const target = this.root.querySelector(".plot") as HTMLElement;
    const unit = this.def.unit;
    // Canvas strokes cannot read CSS variables; resolve the theme's colours now.
    const css = getComputedStyle(document.documentElement);
    const muted = css.getPropertyValue("--muted").trim() || "#888";
    const grid = css.getPropertyValue("--grid").trim() || "#ddd";
    const opts: uPlot.Options = {
      ...this.#size(),
      cursor: { drag: { x: false, y: false } },
      scales: {
        // The x axis always spans the picked range, ending now, even with one point so far.
        x: { time: true, range: () => [Date.now() / 1000 - this.#rangeMs / 1000, Date.now() / 1000] },
        y: unit === "percent" ? { range: [0, 100] } : { auto: true },
      },
      axes: [
        { stroke: muted, grid: { stroke: grid }, ticks: { stroke: grid } },
        {
          stroke: muted,
          grid: { stroke: grid },
          ticks: { stroke: grid },
          size: 84,
          values: (_u, vals) => vals.map((v) => formatValue(unit, v)),
        },
      ],
      series: [
        {},
        ...all.map((s, i) => ({
          label: legendName(this.def, s),
          stroke: PALETTE[i % PALETTE.length],
          width: 1.5,
          value: (_u: uPlot, v: number | null) => formatValue(unit, v),
        })),
      ],
    };
    this.#plot = new uPlot(opts, this.#data as uPlot.AlignedData, target);
  }
}
