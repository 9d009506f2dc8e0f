/**
 * History and tracker benchmarks (issue 5). The peer is the obvious SQLite layout, one row per
 * sample in a `(series_id, t, v)` WITHOUT ROWID table, measured in the same process.
 *
 * Host data for `history.bytesPerSample` is generated, not replayed: ~300 series shaped like
 * node_exporter's and the runtime's on a 2-core VM (CPU-mode counters in 1/100 s ticks, meminfo
 * gauges in kB multiples, disk and network counters, filesystem bytes in 4 KiB blocks, load
 * averages with two decimals, event-loop lag and heap sizes as full-precision noise, constants
 * such as sizes and boot time), all at one shared tick timestamp with 0-4 ms of jitter, as the
 * agent's snapshot writes them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openSqliteHistory } from "../src/history/sqlite-store.js";
import { ResourceTracker } from "../src/tracker/resource-tracker.js";
import { type BenchResult, higherIsBetter, lowerIsBetter, median, msPerCall, nsPerOp } from "./lib.js";

const T0 = Date.UTC(2026, 10, 21);
const DAY = 86_400;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

interface GenSeries {
  name: string;
  labels: Record<string, string>;
  next: (tick: number) => number;
}

/** The agent's default host + runtime series on a 2-core VM, each with a realistic value process. */
export function hostSeries(seed: number): GenSeries[] {
  const r = rng(seed);
  const out: GenSeries[] = [];
  const counter = (
    name: string,
    labels: Record<string, string>,
    ratePerSec: number,
    resolution: number,
    burst = 0.3,
  ) => {
    let v = Math.round((r() * 1e6) / resolution) * resolution;
    out.push({
      name,
      labels,
      next: () => {
        const inc = Math.max(0, ratePerSec * (1 + (r() - 0.5) * 2 * burst));
        v = Math.round((v + inc) / resolution) * resolution;
        v = Number(v.toFixed(Math.max(0, -Math.floor(Math.log10(resolution)))));
        return v;
      },
    });
  };
  const gauge = (
    name: string,
    labels: Record<string, string>,
    level: number,
    step: number,
    quantum: number,
    pChange = 1,
  ) => {
    let v = Math.round(level / quantum) * quantum;
    out.push({
      name,
      labels,
      next: () => {
        if (r() < pChange) v = Math.max(0, Math.round((v + (r() - 0.5) * 2 * step) / quantum) * quantum);
        return Number(v.toFixed(quantum >= 1 ? 0 : Math.ceil(-Math.log10(quantum))));
      },
    });
  };
  const constant = (name: string, labels: Record<string, string>, v: number) =>
    out.push({ name, labels, next: () => v });
  // Durations measured with hrtime / monitorEventLoopDelay: nanosecond integers divided by 1e9.
  const noise = (name: string, labels: Record<string, string>, level: number) =>
    out.push({ name, labels, next: () => Math.round(level * (0.5 + r()) * 1e9) / 1e9 });

  const modes: [string, number][] = [
    ["idle", 0.8],
    ["user", 0.12],
    ["system", 0.05],
    ["iowait", 0.01],
    ["irq", 0],
    ["softirq", 0.005],
    ["nice", 0],
    ["steal", 0.002],
  ];
  for (const cpu of ["0", "1"])
    for (const [mode, rate] of modes) counter("node_cpu_seconds_total", { cpu, mode }, rate, 0.01, 0.8);
  const kb = 1024;
  const mem = [
    "MemFree",
    "MemAvailable",
    "Buffers",
    "Cached",
    "Active",
    "Inactive",
    "Active_anon",
    "Inactive_anon",
    "Active_file",
    "Inactive_file",
    "Dirty",
    "Writeback",
    "AnonPages",
    "Mapped",
    "Shmem",
    "KReclaimable",
    "Slab",
    "SReclaimable",
    "SUnreclaim",
    "KernelStack",
    "PageTables",
    "Committed_AS",
    "VmallocUsed",
    "Percpu",
    "AnonHugePages",
  ];
  for (let i = 0; i < mem.length; i++) {
    gauge(`node_memory_${mem[i]}_bytes`, {}, (200 + i * 37) * 1024 * kb, 64 * kb * (1 + (i % 5)), kb, 0.6);
  }
  for (const m of [
    "MemTotal",
    "SwapTotal",
    "SwapFree",
    "SwapCached",
    "HugePages_Total",
    "HugePages_Free",
    "Hugepagesize",
    "CommitLimit",
    "VmallocTotal",
    "DirectMap4k",
    "DirectMap2M",
    "Mlocked",
    "Unevictable",
    "Bounce",
    "NFS_Unstable",
    "WritebackTmp",
    "HardwareCorrupted",
  ]) {
    constant(`node_memory_${m}_bytes`, {}, Math.floor((r() * 8e9) / kb) * kb);
  }
  for (const [name, step] of [
    ["node_load1", 0.08],
    ["node_load5", 0.02],
    ["node_load15", 0.01],
  ] as const)
    gauge(name, {}, 0.5, step, 0.01);
  for (const device of ["vda", "vdb"]) {
    counter("node_disk_reads_completed_total", { device }, 2, 1, 1);
    counter("node_disk_writes_completed_total", { device }, 8, 1, 1);
    counter("node_disk_read_bytes_total", { device }, 40960, 4096, 1);
    counter("node_disk_written_bytes_total", { device }, 163840, 4096, 1);
    counter("node_disk_read_time_seconds_total", { device }, 0.002, 0.001, 1);
    counter("node_disk_write_time_seconds_total", { device }, 0.01, 0.001, 1);
    counter("node_disk_io_time_seconds_total", { device }, 0.01, 0.001, 1);
    counter("node_disk_io_time_weighted_seconds_total", { device }, 0.012, 0.001, 1);
    counter("node_disk_reads_merged_total", { device }, 0.2, 1, 1);
    counter("node_disk_writes_merged_total", { device }, 3, 1, 1);
    gauge("node_disk_io_now", { device }, 0, 1, 1, 0.05);
    constant("node_disk_discarded_sectors_total", { device }, 0);
  }
  for (const mountpoint of ["/", "/boot", "/var", "/tmp"]) {
    const labels = { device: `/dev/x${mountpoint.length}`, fstype: "ext4", mountpoint };
    constant("node_filesystem_size_bytes", labels, 50e9);
    gauge("node_filesystem_free_bytes", labels, 20e9, 4096 * 40, 4096, 0.7);
    gauge("node_filesystem_avail_bytes", labels, 18e9, 4096 * 40, 4096, 0.7);
    constant("node_filesystem_files", labels, 3276800);
    gauge("node_filesystem_files_free", labels, 3000000, 5, 1, 0.3);
    constant("node_filesystem_readonly", labels, 0);
    constant("node_filesystem_device_error", labels, 0);
  }
  for (const device of ["eth0", "lo"]) {
    counter("node_network_receive_bytes_total", { device }, 12000, 1, 1);
    counter("node_network_transmit_bytes_total", { device }, 9000, 1, 1);
    counter("node_network_receive_packets_total", { device }, 40, 1, 1);
    counter("node_network_transmit_packets_total", { device }, 35, 1, 1);
    for (const k of [
      "receive_errs",
      "transmit_errs",
      "receive_drop",
      "transmit_drop",
      "receive_multicast",
      "transmit_colls",
    ]) {
      constant(`node_network_${k}_total`, { device }, 0);
    }
    constant("node_network_up", { device }, 1);
    constant("node_network_mtu_bytes", { device }, 1500);
    constant("node_network_speed_bytes", { device }, 125000000);
  }
  counter("node_context_switches_total", {}, 900, 1, 1);
  counter("node_intr_total", {}, 700, 1, 1);
  counter("node_forks_total", {}, 2, 1, 1);
  gauge("node_procs_running", {}, 2, 1, 1, 0.5);
  gauge("node_procs_blocked", {}, 0, 1, 1, 0.05);
  constant("node_boot_time_seconds", {}, 1.7e9);
  gauge("node_entropy_available_bits", {}, 256, 0, 1, 0);
  for (const res of ["cpu", "memory", "io"]) {
    for (const kind of ["some", "full"])
      counter(
        `node_pressure_${res}_${kind === "some" ? "waiting" : "stalled"}_seconds_total`,
        {},
        0.001,
        0.000001,
        1,
      );
  }
  gauge("node_filefd_allocated", {}, 1500, 3, 1, 0.5);
  constant("node_filefd_maximum", {}, 2 ** 63);
  // runtime (prom-client names)
  counter("process_cpu_user_seconds_total", {}, 0.01, 0.000001, 1);
  counter("process_cpu_system_seconds_total", {}, 0.003, 0.000001, 1);
  counter("process_cpu_seconds_total", {}, 0.013, 0.000001, 1);
  gauge("process_resident_memory_bytes", {}, 90e6, 200e3, 4096, 0.8);
  constant("process_start_time_seconds", {}, 1.78e9);
  gauge("process_open_fds", {}, 24, 1, 1, 0.1);
  constant("process_max_fds", {}, 1048576);
  noise("nodejs_eventloop_lag_seconds", {}, 0.004);
  for (const q of ["min", "max", "mean", "stddev", "p50", "p90", "p99"])
    noise(`nodejs_eventloop_lag_${q}_seconds`, {}, 0.01);
  for (const space of ["new", "old", "code", "map", "large_object"]) {
    gauge("nodejs_heap_space_size_used_bytes", { space }, 8e6, 100e3, 8, 0.9);
    gauge("nodejs_heap_space_size_total_bytes", { space }, 12e6, 256e3, 262144, 0.05);
    gauge("nodejs_heap_space_size_available_bytes", { space }, 4e6, 100e3, 8, 0.9);
  }
  gauge("nodejs_heap_size_used_bytes", {}, 40e6, 300e3, 8, 0.95);
  gauge("nodejs_heap_size_total_bytes", {}, 60e6, 256e3, 262144, 0.05);
  gauge("nodejs_external_memory_bytes", {}, 2e6, 1e3, 8, 0.3);
  gauge("nodejs_active_handles_total", {}, 10, 1, 1, 0.1);
  gauge("nodejs_active_requests_total", {}, 0, 1, 1, 0.1);
  for (const kind of ["minor", "major", "incremental"]) {
    counter("nodejs_gc_duration_seconds_count", { kind }, kind === "minor" ? 0.5 : 0.02, 1, 1);
    counter("nodejs_gc_duration_seconds_sum", { kind }, 0.0005, 0.000000001, 1);
  }
  for (const name of ["headroom_monitor_duration_seconds", "headroom_history_append_seconds"]) {
    for (const m of ["cpu", "memory", "disk", "filesystem", "network", "system"])
      noise(name, { monitor: m }, 0.0004);
  }
  return out;
}

/** Agent-like tick timestamps: 1 s schedule plus 0-4 ms of timer jitter. */
function tickTime(r: () => number, i: number): number {
  return T0 + i * 1000 + Math.floor(r() * 5);
}

async function ingest(dir: string): Promise<{ headroom: number; peer: number }> {
  const seriesCount = 1000;
  const seconds = 1800;
  const store = openSqliteHistory({ path: join(dir, "ingest.db"), flushIntervalMs: 0, now: () => T0 + 1e9 });
  const gens: GenSeries[] = [];
  while (gens.length < seriesCount)
    for (const g of hostSeries(gens.length + 1))
      if (gens.length < seriesCount)
        gens.push({ ...g, labels: { ...g.labels, instance: String(gens.length) } });
  const handles = gens.map((g) => store.series(g.name, g.labels));
  const values = new Float64Array(seriesCount * seconds);
  for (let s = 0; s < seconds; s++)
    for (let k = 0; k < seriesCount; k++) values[s * seriesCount + k] = gens[k].next(s);
  const r = rng(5);
  const start = process.hrtime.bigint();
  for (let s = 0; s < seconds; s++) {
    const t = tickTime(r, s);
    for (let k = 0; k < seriesCount; k++) store.append(handles[k], t, values[s * seriesCount + k]);
    if (s % 5 === 4) await store.flush();
  }
  await store.close();
  const headroom = (seriesCount * seconds) / (Number(process.hrtime.bigint() - start) / 1e9);

  const db = new Database(join(dir, "peer-ingest.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(
    "CREATE TABLE samples (series_id INTEGER, t INTEGER, v REAL, PRIMARY KEY (series_id, t)) WITHOUT ROWID",
  );
  const ins = db.prepare("INSERT INTO samples VALUES (?, ?, ?)");
  const batch = db.transaction((s0: number, t: number[]) => {
    for (let s = s0; s < s0 + 5; s++)
      for (let k = 0; k < seriesCount; k++) ins.run(k, t[s - s0], values[s * seriesCount + k]);
  });
  const r2 = rng(5);
  const pStart = process.hrtime.bigint();
  for (let s = 0; s < seconds; s += 5)
    batch(
      s,
      [0, 1, 2, 3, 4].map((i) => tickTime(r2, s + i)),
    );
  db.close();
  const peer = (seriesCount * seconds) / (Number(process.hrtime.bigint() - pStart) / 1e9);
  return { headroom, peer };
}

async function dayOfHost(dir: string): Promise<BenchResult[]> {
  const path = join(dir, "day.db");
  const store = openSqliteHistory({
    path,
    flushIntervalMs: 0,
    now: () => T0 + 2 * DAY * 1000,
    retention: "30d",
  });
  const gens = hostSeries(42);
  const handles = gens.map((g) => store.series(g.name, g.labels));
  const r = rng(9);
  const peerDb = new Database(join(dir, "peer-day.db"));
  peerDb.exec(
    "CREATE TABLE samples (series_id INTEGER, t INTEGER, v REAL, PRIMARY KEY (series_id, t)) WITHOUT ROWID",
  );
  const ins = peerDb.prepare("INSERT INTO samples VALUES (?, ?, ?)");
  const peerTx = peerDb.transaction((t: number, vs: number[]) => {
    for (let k = 0; k < vs.length; k++) ins.run(k, t, vs[k]);
  });
  const vs = new Array<number>(gens.length);
  for (let i = 0; i < DAY; i++) {
    const t = tickTime(r, i);
    for (let k = 0; k < gens.length; k++) {
      vs[k] = gens[k].next(i);
      store.append(handles[k], t, vs[k]);
    }
    if (i < 3600) peerTx(t, vs); // one hour is enough for the row layout's per-sample cost
    if (i % 30 === 29) await store.flush();
  }
  await store.flush();
  const usage = store.diskUsage();
  const peerBytes = (
    peerDb.prepare("SELECT sum(pgsize) AS b FROM dbstat WHERE name = 'samples'").get() as { b: number }
  ).b;
  peerDb.close();
  const total = gens.length * DAY;
  console.log(
    `history: ${gens.length} host series x ${DAY} s: raw chunks ${usage.chunkBytes} B for ${usage.chunkSamples} samples, head ${usage.headBytes} B, rollups ${usage.rollupBytes} B, file ${usage.fileBytes} B`,
  );
  const sel = (k: number) => ({ name: gens[k].name, labels: gens[k].labels });
  const range = { startMs: T0, endMs: T0 + DAY * 1000, maxPoints: 1000 };
  const busy = gens.findIndex((g) => g.name === "nodejs_heap_size_used_bytes");
  const one = await msPerCall(() => store.queryDownsampled(sel(busy), range), 15, 3);
  const fifty = await msPerCall(
    async () => {
      for (let k = 0; k < 50; k++) await store.queryDownsampled(sel(k * 4), range);
    },
    7,
    1,
  );
  await store.close();
  return [
    lowerIsBetter(
      "history.bytesPerSample",
      "B/sample",
      usage.chunkBytes / usage.chunkSamples,
      "sqlite row/sample",
      peerBytes / (gens.length * 3600),
    ),
    lowerIsBetter("history.bytesPerSample.file", "B/sample", usage.fileBytes / total),
    lowerIsBetter("history.query24h", "ms", one),
    lowerIsBetter("history.query24h.50", "ms", fifty),
  ];
}

export function trackerCases(): BenchResult[] {
  const tracker = new ResourceTracker({ now: () => T0 });
  const h = tracker.track("bench_resource", "custom");
  const record = nsPerOp((i) => tracker.recordUsage(h, i & 1023, T0 + i), 1_000_000, 7);
  const recordNow = nsPerOp((i) => tracker.recordUsage(h, i & 1023), 1_000_000, 7);
  const gc = (globalThis as { gc?: () => void }).gc;
  const mem = () => {
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  /** Heap + typed-array bytes per tracked resource: the slope between 2,000 and 12,000 resources. */
  const perResource = (samples: number): number => {
    const build = (n: number): { bytes: number; keep: ResourceTracker } => {
      const before = mem();
      const keep = new ResourceTracker({ now: () => T0 });
      for (let i = 0; i < n; i++) {
        const handle = keep.track(`resource_${i}`, "custom");
        for (let s = 0; s < samples; s++) keep.recordUsage(handle, s, T0 + s);
        handle.release();
      }
      return { bytes: mem() - before, keep };
    };
    const runs: number[] = [];
    for (let run = 0; run < 3; run++) {
      const small = build(2_000);
      const smallBytes = small.bytes;
      small.keep.untrack("resource_0");
      const large = build(12_000);
      if (large.keep.trackedResources().length !== 12_000) throw new Error("lost resources");
      runs.push((large.bytes - smallBytes) / 10_000);
    }
    return median(runs);
  };
  return [
    lowerIsBetter("tracker.record", "ns/op", record),
    lowerIsBetter("tracker.record.defaultTimestamp", "ns/op", recordNow),
    lowerIsBetter("tracker.bytesPerResource", "B", perResource(1)),
    lowerIsBetter("tracker.bytesPerResource.window512", "B", perResource(512)),
  ];
}

export async function run(): Promise<BenchResult[]> {
  const { setFlagsFromString } = await import("node:v8");
  const { runInNewContext } = await import("node:vm");
  setFlagsFromString("--expose-gc");
  (globalThis as { gc?: unknown }).gc ??= runInNewContext("gc");
  const dir = mkdtempSync(join(tmpdir(), "headroom-bench-history-"));
  try {
    const ing = await ingest(dir);
    const results = [
      higherIsBetter("history.ingest", "samples/s", ing.headroom, "sqlite row/sample", ing.peer),
    ];
    results.push(...(await dayOfHost(dir)));
    results.push(...trackerCases());
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
