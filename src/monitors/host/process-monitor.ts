/**
 * Processes: a walk of /proc/<pid>/stat (one read per process, fields split after the last
 * `)`), with CPU ratio since the previous walk, RSS and threads; the top N by CPU and by memory
 * go to `headroom_process_*{pid,name}` (status and statm read only for those rows), and
 * node_exporter's processes-collector counts (`node_processes_state{state}`,
 * `node_processes_threads`, `node_processes_pids`). Pids that exit between the directory
 * listing and the read are skipped.
 */
import { closeSync, openSync, readdirSync, readSync } from "node:fs";
import type { Registry } from "../../metrics/registry.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";
import { LazyGauge } from "./lazy-metric.js";
import { type PidStat, parsePidStat, parsePidStatus, parseStatm } from "./pid-stat.js";
import { type HostRoots, isMissing, resolveRoots } from "./proc-file.js";

export interface ProcessMonitorOptions {
  roots?: Partial<HostRoots>;
  id?: string;
  /** Rows kept in each top list (by CPU, by memory). Default 10. */
  topN?: number;
  /** Bytes per page for `rss`; default 4096, corrected from statm/status on the first top row. */
  pageSize?: number;
}

/** One row of the seed's ProcessCpuMetrics / ProcessMemoryMetrics. */
export interface ProcessRow {
  pid: number;
  name: string;
  state: string;
  /** CPU seconds per wall second since the previous walk (1 = one core busy); 0 on the first. */
  cpuRatio: number;
  rssBytes: number;
  threads: number;
}

const buf = Buffer.allocUnsafe(4096);
/** Most per-process descriptors kept open between walks (Node raises the soft fd limit to the hard one). */
const MAX_OPEN = 4096;

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
}

export class ProcessMonitor implements ResourceMonitor {
  readonly #id: string;
  readonly #procfs: string;
  readonly #topN: number;
  #pageSize: number;
  #calibrated: boolean;
  #prev = new Map<number, { start: number; cpu: number }>();
  #prevAt: number | undefined;
  #fds = new Map<number, number>();
  #topCpu: ProcessRow[] = [];
  #topMem: ProcessRow[] = [];
  readonly #cpu;
  readonly #rss;
  readonly #threads;
  readonly #states;
  readonly #allThreads;
  readonly #pids;
  #report: ResourceUsageReport = { currentBytes: 0, peakBytes: 0 };

  constructor(registry: Registry, options: ProcessMonitorOptions = {}) {
    this.#id = options.id ?? "host.processes";
    this.#procfs = resolveRoots(options.roots).procfs;
    this.#topN = options.topN ?? 10;
    this.#pageSize = options.pageSize ?? 4096;
    this.#calibrated = options.pageSize !== undefined;
    const top = (name: string, help: string) => registry.gauge({ name, help, labelNames: ["pid", "name"] });
    this.#cpu = top(
      "headroom_process_cpu_ratio",
      "CPU seconds per second of a top process since the last sample.",
    );
    this.#rss = top("headroom_process_resident_memory_bytes", "Resident memory of a top process.");
    this.#threads = top("headroom_process_threads", "Threads of a top process.");
    this.#states = registry.gauge({
      name: "node_processes_state",
      help: "Number of processes in each state.",
      labelNames: ["state"],
    });
    this.#allThreads = new LazyGauge(registry, {
      name: "node_processes_threads",
      help: "Allocated threads in system",
    });
    this.#pids = new LazyGauge(registry, { name: "node_processes_pids", help: "Number of PIDs" });
  }

  monitorId(): string {
    return this.#id;
  }

  resourceType() {
    return MonitoredResourceType.System;
  }

  /** Process count (no capacity: pid_max is not a useful one). */
  getUsageReport(): ResourceUsageReport {
    return this.#report;
  }

  /** Processes seen by the last walk, or undefined before the first. */
  processCount(): number | undefined {
    return this.#prevAt === undefined ? undefined : this.#prev.size;
  }

  /** The top processes by CPU ratio from the last walk (the seed's ProcessCpuMetrics). */
  topByCpu(): readonly ProcessRow[] {
    return this.#topCpu;
  }

  /** The top processes by resident memory from the last walk (the seed's ProcessMemoryMetrics). */
  topByMemory(): readonly ProcessRow[] {
    return this.#topMem;
  }

  /**
   * /proc/<pid>/stat through a descriptor kept open across walks (one pread instead of
   * open/read/close). A descriptor outlives its process: reading it then fails with ESRCH, so a
   * reused pid never reads through an old descriptor. At most MAX_OPEN stay open.
   */
  #readStat(name: string, fds: Map<number, number>): string | undefined {
    const pid = Number(name);
    // The descriptor moves from last walk's map to this walk's: whatever is left in the old map
    // afterwards belongs to processes that are gone and is closed exactly once.
    let fd = this.#fds.get(pid);
    if (fd !== undefined) this.#fds.delete(pid);
    else {
      try {
        fd = openSync(`${this.#procfs}/${name}/stat`, "r");
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
    }
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, 0);
    } catch (err) {
      closeQuietly(fd);
      if (isMissing(err)) return undefined;
      throw err;
    }
    if (fds.size < MAX_OPEN) fds.set(pid, fd);
    else closeQuietly(fd);
    return buf.toString("latin1", 0, n);
  }

  close(): void {
    for (const fd of this.#fds.values()) closeQuietly(fd);
    this.#fds.clear();
  }

  #read(path: string): string | undefined {
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    try {
      const n = readSync(fd, buf, 0, buf.length, 0);
      return buf.toString("latin1", 0, n);
    } catch (err) {
      // ESRCH: the process exited between open and read.
      if (isMissing(err)) return undefined;
      throw err;
    } finally {
      closeSync(fd);
    }
  }

  update(): void {
    const now = performance.now();
    const dt = this.#prevAt === undefined ? 0 : (now - this.#prevAt) / 1000;
    const rows: ProcessRow[] = [];
    const next = new Map<number, { start: number; cpu: number }>();
    const states = new Map<string, number>();
    let threads = 0;
    const fds = new Map<number, number>();
    let names: string[];
    try {
      names = readdirSync(this.#procfs);
    } catch (err) {
      this.close();
      throw err;
    }
    for (const name of names) {
      const c = name.charCodeAt(0);
      if (c < 48 || c > 57) continue;
      const text = this.#readStat(name, fds);
      if (text === undefined) continue;
      let s: PidStat;
      try {
        s = parsePidStat(text);
      } catch {
        // A half-written or foreign stat line is one process's problem, not the walk's.
        continue;
      }
      next.set(s.pid, { start: s.startTicks, cpu: s.cpuSeconds });
      const prev = this.#prev.get(s.pid);
      const cpuRatio =
        prev && prev.start === s.startTicks && dt > 0 ? Math.max(0, (s.cpuSeconds - prev.cpu) / dt) : 0;
      rows.push({
        pid: s.pid,
        name: s.comm,
        state: s.state,
        cpuRatio,
        rssBytes: s.residentPages * this.#pageSize,
        threads: s.threads,
      });
      states.set(s.state, (states.get(s.state) ?? 0) + 1);
      threads += s.threads;
    }
    // Descriptors of processes that exited are closed; the live ones are kept for the next walk.
    for (const [pid, fd] of this.#fds) if (!fds.has(pid)) closeQuietly(fd);
    this.#fds = fds;
    this.#prev = next;
    this.#prevAt = now;
    const n = this.#topN;
    const topCpu = [...rows].sort((a, b) => b.cpuRatio - a.cpuRatio).slice(0, n);
    const topMem = [...rows].sort((a, b) => b.rssBytes - a.rssBytes).slice(0, n);
    for (const r of new Set([...topCpu, ...topMem])) this.#refine(r);

    const shown = [...new Set([...topCpu, ...topMem])].map((r) => ({
      row: r,
      labels: { pid: String(r.pid), name: r.name },
    }));
    for (const g of [this.#cpu, this.#rss, this.#threads]) g.retainOnly(shown.map((s) => s.labels));
    for (const { row, labels } of shown) {
      this.#cpu.set(labels, row.cpuRatio);
      this.#rss.set(labels, row.rssBytes);
      this.#threads.set(labels, row.threads);
    }
    this.#states.retainOnly([...states.keys()].map((state) => ({ state })));
    for (const [state, count] of states) this.#states.set({ state }, count);
    this.#allThreads.set(threads);
    this.#pids.set(rows.length);
    this.#topCpu = topCpu;
    this.#topMem = topMem;
    this.#report = { currentBytes: rows.length, peakBytes: Math.max(this.#report.peakBytes, rows.length) };
  }

  /** Status (name, VmRSS, threads) and statm for a top row; a pid gone meanwhile keeps its stat values. */
  #refine(r: ProcessRow): void {
    const status = this.#read(`${this.#procfs}/${r.pid}/status`);
    // statm only until the page size is known: status already has VmRSS for every row.
    const statm = this.#calibrated ? undefined : this.#read(`${this.#procfs}/${r.pid}/statm`);
    try {
      if (status !== undefined) {
        const st = parsePidStatus(status);
        r.name = st.name;
        if (st.threads !== undefined) r.threads = st.threads;
        if (st.rssBytes !== undefined) {
          if (!this.#calibrated && statm !== undefined) {
            const pages = parseStatm(statm).residentPages;
            if (pages > 0 && st.rssBytes > 0) {
              const size = st.rssBytes / pages;
              // Only accept a power of two: VmRSS and statm can differ by a few pages in between.
              const pow = 2 ** Math.round(Math.log2(size));
              this.#pageSize = pow;
              this.#calibrated = true;
            }
          }
          r.rssBytes = st.rssBytes;
        }
      }
    } catch {
      // Keep the values from stat.
    }
  }
}
