/**
 * Pure parsers for the per-process files: /proc/<pid>/stat (the command name may hold spaces
 * and parentheses, so fields are split after the last `)`), statm and status.
 */

import { USER_HZ } from "./cpu-stat.js";
import { parseError, requireComplete, uint } from "./parse-util.js";

const C = "host:processes";

export interface PidStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** utime + stime, seconds. */
  cpuSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  threads: number;
  /** Start time after boot, in clock ticks: with the pid, identifies a process across pid reuse. */
  startTicks: number;
  virtualBytes: number;
  residentPages: number;
}

export function parsePidStat(text: string): PidStat {
  requireComplete(text, C, "stat");
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) throw parseError(C, "stat has no (comm)", { text: text.slice(0, 80) });
  const pid = uint(text.slice(0, open).trim(), C, "stat", "pid");
  const f = text
    .slice(close + 2)
    .trim()
    .split(" ");
  // f[0] is field 3 (state); stat has 52 fields on current kernels, at least 44 since 2.6.
  if (f.length < 22) throw parseError(C, `stat of ${pid} has ${f.length + 2} fields`, { pid });
  const userSeconds = uint(f[11], C, "stat", "utime", pid) / USER_HZ;
  const systemSeconds = uint(f[12], C, "stat", "stime", pid) / USER_HZ;
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: f[0],
    ppid: uint(f[1], C, "stat", "ppid", pid),
    userSeconds,
    systemSeconds,
    cpuSeconds: userSeconds + systemSeconds,
    threads: uint(f[17], C, "stat", "num_threads", pid),
    startTicks: uint(f[19], C, "stat", "starttime", pid),
    virtualBytes: uint(f[20], C, "stat", "vsize", pid),
    residentPages: uint(f[21], C, "stat", "rss", pid),
  };
}

export interface PidStatm {
  sizePages: number;
  residentPages: number;
  sharedPages: number;
}

export function parseStatm(text: string): PidStatm {
  requireComplete(text, C, "statm");
  const p = text.trim().split(" ");
  if (p.length !== 7) throw parseError(C, `statm has ${p.length} fields, expected 7`);
  return {
    sizePages: uint(p[0], C, "statm", "size"),
    residentPages: uint(p[1], C, "statm", "resident"),
    sharedPages: uint(p[2], C, "statm", "shared"),
  };
}

export interface PidStatus {
  name: string;
  /** VmRSS in bytes; absent for kernel threads. */
  rssBytes?: number;
  threads?: number;
  uid?: number;
}

export function parsePidStatus(text: string): PidStatus {
  requireComplete(text, C, "status");
  const out: Partial<PidStatus> = {};
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (key === "Name") out.name = value;
    else if (key === "VmRSS") out.rssBytes = uint(value.split(/\s+/)[0], C, "status", "VmRSS") * 1024;
    else if (key === "Threads") out.threads = uint(value, C, "status", "Threads");
    else if (key === "Uid") out.uid = uint(value.split(/\s+/)[0], C, "status", "Uid");
  }
  if (out.name === undefined) throw parseError(C, "status has no Name");
  return out as PidStatus;
}
