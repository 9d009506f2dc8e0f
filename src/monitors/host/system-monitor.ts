/**
 * System: node_exporter's stat-collector series (`node_boot_time_seconds`,
 * `node_context_switches_total`, `node_intr_total`, `node_forks_total`, `node_procs_running`,
 * `node_procs_blocked`), file descriptors (`node_filefd_allocated/maximum`), and the seed's
 * SystemMetrics extras as `headroom_system_*`: uptime, logged-in users (utmp), processes and
 * threads.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Registry } from "../../metrics/registry.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";
import { parseStat } from "./cpu-stat.js";
import { LazyCounter, LazyGauge } from "./lazy-metric.js";
import { type HostRoots, isMissing, MissingFiles, ProcFiles, resolveRoots } from "./proc-file.js";
import { parseFileNr, parseLoadavg, parseUptime, parseUtmp } from "./system-parse.js";

export interface SystemMonitorOptions {
  roots?: Partial<HostRoots>;
  id?: string;
  /** utmp file, relative to rootfs; default `run/utmp` (absent on minimal hosts: no users series). */
  utmpPath?: string;
  /**
   * Where the process count comes from. createHostMonitors passes the process monitor's last
   * walk so /proc is listed once per tick; without it, /proc is listed here.
   */
  processCount?: () => number | undefined;
}

/** Seed 003's SystemMetrics. */
export interface SystemMetrics {
  uptimeSeconds: number;
  /** Boot time, seconds since the epoch. */
  bootTime: number;
  users: number | undefined;
  processes: number;
  threads: number;
  openFiles: number;
  contextSwitches: number;
}

export class SystemMonitor implements ResourceMonitor {
  readonly #id: string;
  readonly #proc: ProcFiles;
  readonly #procfs: string;
  readonly #utmp: string;
  /** A missing utmp is not looked for every tick: the failed read throws, which costs more than the read. */
  readonly #missing = new MissingFiles();
  readonly #processCount: (() => number | undefined) | undefined;
  readonly #g;
  readonly #c;
  #metrics: SystemMetrics | undefined;
  #report: ResourceUsageReport = { currentBytes: 0, peakBytes: 0 };

  constructor(registry: Registry, options: SystemMonitorOptions = {}) {
    const roots = resolveRoots(options.roots);
    this.#id = options.id ?? "host.system";
    this.#procfs = roots.procfs;
    this.#proc = new ProcFiles(roots.procfs);
    this.#utmp = join(roots.rootfs, options.utmpPath ?? "run/utmp");
    this.#processCount = options.processCount;
    const g = (name: string, help: string) => new LazyGauge(registry, { name, help });
    const c = (name: string, help: string) => new LazyCounter(registry, { name, help });
    this.#g = {
      boot: g("node_boot_time_seconds", "Node boot time, in unixtime."),
      running: g("node_procs_running", "Number of processes in runnable state."),
      blocked: g("node_procs_blocked", "Number of processes blocked waiting for I/O to complete."),
      fdAlloc: g("node_filefd_allocated", "File descriptor statistics: allocated."),
      fdMax: g("node_filefd_maximum", "File descriptor statistics: maximum."),
      uptime: g("headroom_system_uptime_seconds", "Seconds since boot."),
      processes: g("headroom_system_processes", "Processes on the host."),
      threads: g("headroom_system_threads", "Threads (scheduling entities) on the host."),
    };
    this.#c = {
      ctxt: c("node_context_switches_total", "Total number of context switches."),
      intr: c("node_intr_total", "Total number of interrupts serviced."),
      forks: c("node_forks_total", "Total number of forks."),
    };
    this.#users = g("headroom_system_users", "Logged-in users (distinct names in utmp).");
  }

  readonly #users;

  monitorId(): string {
    return this.#id;
  }

  resourceType() {
    return MonitoredResourceType.System;
  }

  /** Allocated file descriptors against the system-wide maximum. */
  getUsageReport(): ResourceUsageReport {
    return this.#report;
  }

  getSystemMetrics(): SystemMetrics | undefined {
    return this.#metrics;
  }

  update(): void {
    const stat = parseStat(this.#proc.read("stat"));
    const uptime = parseUptime(this.#proc.read("uptime"));
    const files = parseFileNr(this.#proc.read("sys/fs/file-nr"));
    const load = parseLoadavg(this.#proc.read("loadavg"));
    const processes = this.#processCount?.() ?? countPids(this.#procfs);
    const users = this.#readUsers();

    if (stat.bootTime !== undefined) this.#g.boot.set(stat.bootTime);
    if (stat.procsRunning !== undefined) this.#g.running.set(stat.procsRunning);
    if (stat.procsBlocked !== undefined) this.#g.blocked.set(stat.procsBlocked);
    if (stat.contextSwitches !== undefined) this.#c.ctxt.setTotal(stat.contextSwitches);
    if (stat.intr !== undefined) this.#c.intr.setTotal(stat.intr);
    if (stat.forks !== undefined) this.#c.forks.setTotal(stat.forks);
    this.#g.fdAlloc.set(files.allocated);
    this.#g.fdMax.set(files.maximum);
    this.#g.uptime.set(uptime.uptimeSeconds);
    this.#g.processes.set(processes);
    this.#g.threads.set(load.threads);
    if (users !== undefined) this.#users.set(users);
    this.#metrics = {
      uptimeSeconds: uptime.uptimeSeconds,
      bootTime: stat.bootTime ?? Math.round(Date.now() / 1000 - uptime.uptimeSeconds),
      users,
      processes,
      threads: load.threads,
      openFiles: files.allocated,
      contextSwitches: stat.contextSwitches ?? 0,
    };
    this.#report = {
      currentBytes: files.allocated,
      peakBytes: Math.max(this.#report.peakBytes, files.allocated),
      totalCapacityBytes: files.maximum,
    };
  }

  #readUsers(): number | undefined {
    if (this.#missing.stillMissing(this.#utmp)) return undefined;
    let data: Buffer;
    try {
      data = readFileSync(this.#utmp);
    } catch (err) {
      if (!isMissing(err)) throw err;
      this.#missing.missed(this.#utmp);
      return undefined;
    }
    return parseUtmp(data).length;
  }

  close(): void {
    this.#proc.close();
  }
}

function countPids(procfs: string): number {
  let n = 0;
  for (const name of readdirSync(procfs)) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}
