/**
 * Pure parser for /proc/meminfo, keyed the way node_exporter names its series
 * (`Active(anon)` -> `Active_anon`, `kB` values in bytes), plus the seed's MemoryMetrics view.
 */
import { parseError, requireComplete, uint } from "./parse-util.js";

const C = "host:memory";

export interface MeminfoField {
  /** node_exporter's key: parentheses become `_` and are dropped (`Active_anon`). */
  key: string;
  /** In bytes when `bytes` is true, else a count (HugePages_Total). */
  value: number;
  bytes: boolean;
}

export function parseMeminfo(text: string): MeminfoField[] {
  requireComplete(text, C, "/proc/meminfo");
  const out: MeminfoField[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === "") continue;
    const m = /^([A-Za-z0-9_()]+):\s+(\S+)(?:\s+(kB))?\s*$/.exec(line);
    if (!m)
      throw parseError(C, `/proc/meminfo line ${i + 1} is malformed: ${JSON.stringify(line)}`, {
        line: i + 1,
      });
    const key = m[1].replace("(", "_").replace(")", "");
    const n = uint(m[2], C, "/proc/meminfo", m[1]);
    out.push({ key, value: m[3] ? n * 1024 : n, bytes: m[3] !== undefined });
  }
  if (!out.some((f) => f.key === "MemTotal")) throw parseError(C, "/proc/meminfo has no MemTotal");
  return out;
}

/** Seed 003's MemoryMetrics numbers (without the per-process list). */
export interface MemorySummary {
  totalBytes: number;
  usedBytes: number;
  freeBytes: number;
  availableBytes: number;
  cachedBytes: number;
  buffersBytes: number;
  swapTotalBytes: number;
  swapUsedBytes: number;
  swapFreeBytes: number;
}

/**
 * used = total - available. Kernels before 3.14 have no MemAvailable; there, available is
 * estimated as free + buffers + cached + reclaimable slab (what `free` did before 3.14).
 */
export function memorySummary(fields: readonly MeminfoField[]): MemorySummary {
  const get = (k: string) => fields.find((f) => f.key === k)?.value;
  const total = get("MemTotal") ?? 0;
  const free = get("MemFree") ?? 0;
  const buffers = get("Buffers") ?? 0;
  const cached = get("Cached") ?? 0;
  const available =
    get("MemAvailable") ?? Math.min(total, free + buffers + cached + (get("SReclaimable") ?? 0));
  const swapTotal = get("SwapTotal") ?? 0;
  const swapFree = get("SwapFree") ?? 0;
  return {
    totalBytes: total,
    usedBytes: Math.max(0, total - available),
    freeBytes: free,
    availableBytes: available,
    cachedBytes: cached,
    buffersBytes: buffers,
    swapTotalBytes: swapTotal,
    swapUsedBytes: Math.max(0, swapTotal - swapFree),
    swapFreeBytes: swapFree,
  };
}
