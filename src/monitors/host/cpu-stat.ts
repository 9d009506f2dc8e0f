/**
 * Pure parsers for CPU time: /proc/stat (per-core and total time per mode plus the system-wide
 * counters node_exporter's stat collector exports) and /proc/cpuinfo (the frequency fallback when
 * cpufreq is absent, as in most VMs), and the busy ratio computed the way psutil does.
 */
import { decimal, parseError, requireComplete, uint } from "./parse-util.js";

/** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture node_exporter supports. */
export const USER_HZ = 100;

/** Seconds spent in each mode. `user` and `nice` already include `guest` and `guestNice`. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
  guest: number;
  guestNice: number;
}

export interface ProcStat {
  total: CpuTimes;
  /** Per core, indexed by the kernel's cpu number (`cpu3` -> cpus[i].cpu === 3). */
  cpus: { cpu: number; times: CpuTimes }[];
  /** Total interrupts serviced since boot. */
  intr?: number;
  contextSwitches?: number;
  /** Boot time, seconds since the epoch. */
  bootTime?: number;
  forks?: number;
  procsRunning?: number;
  procsBlocked?: number;
}

const C = "host:cpu";

function times(fields: string[], line: number): CpuTimes {
  // 2.6.11+ has at least 8 fields (steal); guest came in 2.6.24, guest_nice in 2.6.33.
  if (fields.length < 5)
    throw parseError(C, `/proc/stat line ${line}: only ${fields.length} cpu fields`, { line });
  const v = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const n = Math.min(fields.length, 10);
  for (let i = 0; i < n; i++) v[i] = uint(fields[i], C, "/proc/stat", "cpu field", i + 1) / USER_HZ;
  return {
    user: v[0],
    nice: v[1],
    system: v[2],
    idle: v[3],
    iowait: v[4],
    irq: v[5],
    softirq: v[6],
    steal: v[7],
    guest: v[8],
    guestNice: v[9],
  };
}

/** The first number after the key of a /proc/stat line. */
function firstValue(line: string, sp: number, key: string): number {
  let start = sp + 1;
  while (line.charCodeAt(start) === 32) start++;
  let end = line.indexOf(" ", start);
  if (end < 0) end = line.length;
  return uint(line.slice(start, end), C, "/proc/stat", key);
}

export function parseStat(text: string): ProcStat {
  requireComplete(text, C, "/proc/stat");
  const lines = text.split("\n");
  let total: CpuTimes | undefined;
  const cpus: ProcStat["cpus"] = [];
  const out: Omit<ProcStat, "total" | "cpus"> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === "") continue;
    // Look at the key before splitting: the intr and softirq lines hold hundreds of numbers.
    const sp = line.indexOf(" ");
    const key = sp < 0 ? line : line.slice(0, sp);
    if (key === "cpu")
      total = times(
        line
          .slice(sp + 1)
          .trim()
          .split(/\s+/),
        i + 1,
      );
    else if (key.startsWith("cpu")) {
      const n = uint(key.slice(3), C, "/proc/stat", "cpu number");
      cpus.push({
        cpu: n,
        times: times(
          line
            .slice(sp + 1)
            .trim()
            .split(/\s+/),
          i + 1,
        ),
      });
    } else if (key === "intr") out.intr = firstValue(line, sp, key);
    else if (key === "ctxt") out.contextSwitches = firstValue(line, sp, key);
    else if (key === "btime") out.bootTime = firstValue(line, sp, key);
    else if (key === "processes") out.forks = firstValue(line, sp, key);
    else if (key === "procs_running") out.procsRunning = firstValue(line, sp, key);
    else if (key === "procs_blocked") out.procsBlocked = firstValue(line, sp, key);
  }
  if (!total) throw parseError(C, "/proc/stat has no aggregate cpu line");
  return { total, cpus, ...out };
}

/** Seconds counted in the busy ratio's denominator: every mode except guest time (inside user/nice). */
export function cpuTotalSeconds(t: CpuTimes): number {
  return t.user + t.nice + t.system + t.idle + t.iowait + t.irq + t.softirq + t.steal;
}

/**
 * psutil's cpu_percent as a ratio (0..1) between two readings: busy = total - idle - iowait,
 * with steal in both busy and the denominator. Undefined when no time passed or a counter went
 * backwards (CPU hot-unplug, counter reset): no number is better than a wrong one.
 */
export function cpuBusyRatio(prev: CpuTimes, next: CpuTimes): number | undefined {
  const modes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"] as const;
  for (const m of modes) if (next[m] < prev[m]) return undefined;
  const dTotal = cpuTotalSeconds(next) - cpuTotalSeconds(prev);
  if (!(dTotal > 0)) return undefined;
  const dIdle = next.idle + next.iowait - (prev.idle + prev.iowait);
  const ratio = (dTotal - dIdle) / dTotal;
  return Math.min(1, Math.max(0, ratio));
}

export interface CpuinfoEntry {
  processor: number;
  /** `cpu MHz`, absent on architectures that do not report it. */
  mhz?: number;
  modelName?: string;
}

/** /proc/cpuinfo: one entry per `processor` block. */
export function parseCpuinfo(text: string): CpuinfoEntry[] {
  requireComplete(text, C, "/proc/cpuinfo");
  const out: CpuinfoEntry[] = [];
  let cur: CpuinfoEntry | undefined;
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === "processor") {
      cur = { processor: uint(value, C, "/proc/cpuinfo", "processor") };
      out.push(cur);
    } else if (cur && key === "cpu MHz") cur.mhz = decimal(value, C, "/proc/cpuinfo", "cpu MHz");
    else if (cur && key === "model name") cur.modelName = value;
  }
  return out;
}
