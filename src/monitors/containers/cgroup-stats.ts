/**
 * Reads one cgroup's usage and limits from its directories, for v1, v2 and hybrid hosts, in
 * one shape: CPU usage (user, system), throttling, CPU limit, memory usage, working set
 * (usage - inactive_file, as cAdvisor and kubelet compute it), RSS, cache, memory limit, block
 * I/O, pids and pressure. A file that is absent (controller not enabled) leaves its field
 * undefined; a file that is present but malformed fails the whole reading.
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { type Pressure, parsePressure } from "../host/pressure.js";
import { isMissing } from "../host/proc-file.js";
import type { CgroupDirs } from "./cgroup-layout.js";
import {
  type IoDeviceStats,
  parseBlkio,
  parseCpuMax,
  parseFlatKeyed,
  parseIoStat,
  parseLimit,
  parseSingle,
} from "./cgroup-parse.js";

export interface CgroupStats {
  cpuUsageSeconds?: number;
  cpuUserSeconds?: number;
  cpuSystemSeconds?: number;
  cpuPeriods?: number;
  cpuThrottledPeriods?: number;
  cpuThrottledSeconds?: number;
  /** CFS quota and period of this cgroup itself (undefined quota: unlimited). */
  cpuQuotaUs?: number;
  cpuPeriodUs?: number;
  memoryUsageBytes?: number;
  memoryWorkingSetBytes?: number;
  memoryRssBytes?: number;
  memoryCacheBytes?: number;
  memorySwapBytes?: number;
  memoryFailcnt?: number;
  /** This cgroup's own memory limit; undefined when unlimited. */
  memoryLimitBytes?: number;
  io: IoDeviceStats[];
  pidsCurrent?: number;
  pidsLimit?: number;
  pressure: { cpu?: Pressure; memory?: Pressure; io?: Pressure };
}

/** The tightest limits on this cgroup and all its ancestors (what actually constrains it). */
export interface EffectiveLimits {
  /** CPU cores the cgroup may use (quota / period), undefined when no ancestor sets a quota. */
  cpuCores?: number;
  memoryBytes?: number;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "latin1");
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

export function readCgroupStats(dirs: CgroupDirs): CgroupStats {
  const s: CgroupStats = { io: [], pressure: {} };
  const v2 = dirs.v2;
  const cpu = dirs.v1.get("cpu");
  const cpuacct = dirs.v1.get("cpuacct");
  const memory = dirs.v1.get("memory");
  const blkio = dirs.v1.get("blkio");
  const pids = dirs.v1.get("pids");

  // CPU: v1 cpuacct when mounted (hybrid hosts), else v2 cpu.stat.
  if (cpuacct !== undefined) {
    const usage = read(`${cpuacct}/cpuacct.usage`);
    if (usage !== undefined) s.cpuUsageSeconds = parseSingle(usage, "cpuacct.usage") / 1e9;
    const user = read(`${cpuacct}/cpuacct.usage_user`);
    const sys = read(`${cpuacct}/cpuacct.usage_sys`);
    if (user !== undefined) s.cpuUserSeconds = parseSingle(user, "cpuacct.usage_user") / 1e9;
    if (sys !== undefined) s.cpuSystemSeconds = parseSingle(sys, "cpuacct.usage_sys") / 1e9;
  }
  if (cpu !== undefined) {
    const stat = read(`${cpu}/cpu.stat`);
    if (stat !== undefined) {
      const m = parseFlatKeyed(stat, "cpu.stat");
      s.cpuPeriods = m.get("nr_periods");
      s.cpuThrottledPeriods = m.get("nr_throttled");
      const t = m.get("throttled_time");
      if (t !== undefined) s.cpuThrottledSeconds = t / 1e9;
    }
    const quota = read(`${cpu}/cpu.cfs_quota_us`);
    const period = read(`${cpu}/cpu.cfs_period_us`);
    if (quota !== undefined) s.cpuQuotaUs = parseLimit(quota, "cpu.cfs_quota_us");
    if (period !== undefined) s.cpuPeriodUs = parseSingle(period, "cpu.cfs_period_us");
  }
  if (v2 !== undefined && cpuacct === undefined) {
    const stat = read(`${v2}/cpu.stat`);
    if (stat !== undefined) {
      const m = parseFlatKeyed(stat, "cpu.stat");
      const us = (k: string) => (m.has(k) ? (m.get(k) as number) / 1e6 : undefined);
      s.cpuUsageSeconds = us("usage_usec");
      s.cpuUserSeconds = us("user_usec");
      s.cpuSystemSeconds = us("system_usec");
      s.cpuPeriods = m.get("nr_periods");
      s.cpuThrottledPeriods = m.get("nr_throttled");
      s.cpuThrottledSeconds = us("throttled_usec");
    }
    const max = read(`${v2}/cpu.max`);
    if (max !== undefined) {
      const c = parseCpuMax(max);
      s.cpuQuotaUs = c.quotaUs;
      s.cpuPeriodUs = c.periodUs;
    }
  }

  // Memory.
  if (memory !== undefined) {
    const usage = read(`${memory}/memory.usage_in_bytes`);
    const limit = read(`${memory}/memory.limit_in_bytes`);
    const stat = read(`${memory}/memory.stat`);
    const failcnt = read(`${memory}/memory.failcnt`);
    if (usage !== undefined) s.memoryUsageBytes = parseSingle(usage, "memory.usage_in_bytes");
    if (limit !== undefined) s.memoryLimitBytes = parseLimit(limit, "memory.limit_in_bytes");
    if (failcnt !== undefined) s.memoryFailcnt = parseSingle(failcnt, "memory.failcnt");
    if (stat !== undefined) {
      const m = parseFlatKeyed(stat, "memory.stat");
      // total_* include descendants, which is what a container's usage_in_bytes counts too.
      s.memoryRssBytes = m.get("total_rss") ?? m.get("rss");
      s.memoryCacheBytes = m.get("total_cache") ?? m.get("cache");
      s.memorySwapBytes = m.get("total_swap") ?? m.get("swap");
      const inactive = m.get("total_inactive_file") ?? m.get("inactive_file") ?? 0;
      if (s.memoryUsageBytes !== undefined)
        s.memoryWorkingSetBytes = Math.max(0, s.memoryUsageBytes - inactive);
    }
  } else if (v2 !== undefined) {
    const current = read(`${v2}/memory.current`);
    const max = read(`${v2}/memory.max`);
    const stat = read(`${v2}/memory.stat`);
    const swap = read(`${v2}/memory.swap.current`);
    if (current !== undefined) s.memoryUsageBytes = parseSingle(current, "memory.current");
    if (max !== undefined) s.memoryLimitBytes = parseLimit(max, "memory.max");
    if (swap !== undefined) s.memorySwapBytes = parseSingle(swap, "memory.swap.current");
    if (stat !== undefined) {
      const m = parseFlatKeyed(stat, "memory.stat");
      s.memoryRssBytes = m.get("anon");
      s.memoryCacheBytes = m.get("file");
      const inactive = m.get("inactive_file") ?? 0;
      if (s.memoryUsageBytes !== undefined)
        s.memoryWorkingSetBytes = Math.max(0, s.memoryUsageBytes - inactive);
    }
  }

  // Block I/O.
  if (blkio !== undefined) {
    const bytes = read(`${blkio}/blkio.throttle.io_service_bytes`);
    const ops = read(`${blkio}/blkio.throttle.io_serviced`);
    const b = bytes === undefined ? new Map() : parseBlkio(bytes, "blkio.throttle.io_service_bytes");
    const o = ops === undefined ? new Map() : parseBlkio(ops, "blkio.throttle.io_serviced");
    for (const device of new Set([...b.keys(), ...o.keys()])) {
      s.io.push({
        device,
        readBytes: b.get(device)?.read ?? 0,
        writeBytes: b.get(device)?.write ?? 0,
        reads: o.get(device)?.read ?? 0,
        writes: o.get(device)?.write ?? 0,
      });
    }
  } else if (v2 !== undefined) {
    const io = read(`${v2}/io.stat`);
    if (io !== undefined) s.io = parseIoStat(io);
  }

  // Pids.
  const pidsDir = pids ?? v2;
  if (pidsDir !== undefined) {
    const cur = read(`${pidsDir}/pids.current`);
    const max = read(`${pidsDir}/pids.max`);
    if (cur !== undefined) s.pidsCurrent = parseSingle(cur, "pids.current");
    if (max !== undefined) s.pidsLimit = parseLimit(max, "pids.max");
  }

  // Pressure lives in the unified hierarchy, also on hybrid hosts.
  if (v2 !== undefined) {
    for (const r of ["cpu", "memory", "io"] as const) {
      let text: string | undefined;
      try {
        text = read(`${v2}/${r}.pressure`);
      } catch (err) {
        // EOPNOTSUPP when PSI is compiled in but disabled.
        if ((err as NodeJS.ErrnoException).code !== "EOPNOTSUPP") throw err;
      }
      if (text !== undefined) s.pressure[r] = parsePressure(text, `${r}.pressure`);
    }
  }
  return s;
}

/** Walks from `dir` up to `root` inclusive, calling `visit` on each directory. */
function walkUp(dir: string, root: string, visit: (d: string) => void): void {
  let d = dir;
  for (;;) {
    visit(d);
    if (d === root || d.length <= root.length) return;
    const up = dirname(d);
    if (up === d) return;
    d = up;
  }
}

/** The tightest CPU quota and memory limit on the cgroup or any ancestor. */
export function readEffectiveLimits(dirs: CgroupDirs): EffectiveLimits {
  const out: EffectiveLimits = {};
  const minCores = (cores: number) => {
    out.cpuCores = out.cpuCores === undefined ? cores : Math.min(out.cpuCores, cores);
  };
  const minMem = (bytes: number) => {
    out.memoryBytes = out.memoryBytes === undefined ? bytes : Math.min(out.memoryBytes, bytes);
  };
  const cpu = dirs.v1.get("cpu");
  const cpuRoot = dirs.v1Roots.get("cpu");
  if (cpu !== undefined && cpuRoot !== undefined) {
    walkUp(cpu, cpuRoot, (d) => {
      const q = read(`${d}/cpu.cfs_quota_us`);
      const p = read(`${d}/cpu.cfs_period_us`);
      if (q === undefined || p === undefined) return;
      const quota = parseLimit(q, "cpu.cfs_quota_us");
      const period = parseSingle(p, "cpu.cfs_period_us");
      if (quota !== undefined && period > 0) minCores(quota / period);
    });
  }
  const mem = dirs.v1.get("memory");
  const memRoot = dirs.v1Roots.get("memory");
  if (mem !== undefined && memRoot !== undefined) {
    walkUp(mem, memRoot, (d) => {
      const l = read(`${d}/memory.limit_in_bytes`);
      const v = l === undefined ? undefined : parseLimit(l, "memory.limit_in_bytes");
      if (v !== undefined) minMem(v);
    });
  }
  if (dirs.v2 !== undefined && dirs.v2Root !== undefined) {
    walkUp(dirs.v2, dirs.v2Root, (d) => {
      if (cpu === undefined) {
        const c = read(`${d}/cpu.max`);
        const parsed = c === undefined ? undefined : parseCpuMax(c);
        if (parsed?.quotaUs !== undefined && parsed.periodUs > 0) minCores(parsed.quotaUs / parsed.periodUs);
      }
      if (mem === undefined) {
        const m = read(`${d}/memory.max`);
        const v = m === undefined ? undefined : parseLimit(m, "memory.max");
        if (v !== undefined) minMem(v);
      }
    });
  }
  return out;
}
