/**
 * Pure parsers for cgroup v1 and v2 interface files: flat keyed files (`memory.stat`,
 * `cpu.stat`, `cpuacct.stat`), single values with the "no limit" forms (`max` in v2, the
 * v1 page-counter sentinel, `-1` for a CFS quota), `cpu.max`, v2 `io.stat` and v1
 * `blkio.throttle.*`.
 */
import { parseError, requireComplete, uint } from "../host/parse-util.js";

const C = "containers:cgroup";

/**
 * v1 reports "no memory limit" as PAGE_COUNTER_MAX pages in bytes (9223372036854771712 with
 * 4 KiB pages, other values with other page sizes); anything from 2^62 up is that sentinel,
 * never a real size.
 */
const V1_UNLIMITED = 2 ** 62;

export function parseFlatKeyed(text: string, file: string): Map<string, number> {
  requireComplete(text, C, file);
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const sp = line.indexOf(" ");
    if (sp <= 0) throw parseError(C, `${file}: malformed line ${JSON.stringify(line)}`, { file });
    out.set(line.slice(0, sp), uint(line.slice(sp + 1).trim(), C, file, line.slice(0, sp)));
  }
  return out;
}

export function parseSingle(text: string, file: string): number {
  requireComplete(text, C, file);
  return uint(text.trim(), C, file, "value");
}

/** A limit file: undefined means unlimited (`max`, `-1`, or the v1 sentinel). */
export function parseLimit(text: string, file: string): number | undefined {
  requireComplete(text, C, file);
  const t = text.trim();
  if (t === "max" || t === "-1") return undefined;
  const n = uint(t, C, file, "limit");
  return n >= V1_UNLIMITED ? undefined : n;
}

/** v2 `cpu.max` ("50000 100000" or "max 100000"): the quota in cores, undefined when unlimited. */
export function parseCpuMax(text: string, file = "cpu.max"): { quotaUs?: number; periodUs: number } {
  requireComplete(text, C, file);
  const [q, p] = text.trim().split(" ");
  const periodUs = uint(p, C, file, "period");
  if (q === "max") return { periodUs };
  return { quotaUs: uint(q, C, file, "quota"), periodUs };
}

export interface IoDeviceStats {
  /** `major:minor`. */
  device: string;
  readBytes: number;
  writeBytes: number;
  reads: number;
  writes: number;
}

/** v2 `io.stat`: `8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0`. */
export function parseIoStat(text: string, file = "io.stat"): IoDeviceStats[] {
  if (text === "") return [];
  requireComplete(text, C, file);
  const out: IoDeviceStats[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const [device, ...kv] = line.trim().split(" ");
    if (!/^\d+:\d+$/.test(device)) throw parseError(C, `${file}: malformed device ${JSON.stringify(device)}`);
    const m = new Map<string, number>();
    for (const pair of kv) {
      const eq = pair.indexOf("=");
      if (eq < 0) throw parseError(C, `${file}: malformed field ${JSON.stringify(pair)}`);
      m.set(pair.slice(0, eq), uint(pair.slice(eq + 1), C, file, `${device} ${pair.slice(0, eq)}`));
    }
    out.push({
      device,
      readBytes: m.get("rbytes") ?? 0,
      writeBytes: m.get("wbytes") ?? 0,
      reads: m.get("rios") ?? 0,
      writes: m.get("wios") ?? 0,
    });
  }
  return out;
}

/** v1 `blkio.throttle.io_service_bytes` / `io_serviced`: per device, Read and Write. */
export function parseBlkio(text: string, file: string): Map<string, { read: number; write: number }> {
  requireComplete(text, C, file);
  const out = new Map<string, { read: number; write: number }>();
  for (const line of text.split("\n")) {
    const p = line.trim().split(" ");
    if (p.length !== 3) continue; // the "Total N" line and blank lines
    const [device, op, value] = p;
    if (!/^\d+:\d+$/.test(device)) throw parseError(C, `${file}: malformed device ${JSON.stringify(device)}`);
    const e = out.get(device) ?? { read: 0, write: 0 };
    if (op === "Read") e.read = uint(value, C, file, `${device} Read`);
    else if (op === "Write") e.write = uint(value, C, file, `${device} Write`);
    out.set(device, e);
  }
  return out;
}
