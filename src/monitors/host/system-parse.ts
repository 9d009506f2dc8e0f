/**
 * Pure parsers for the small system files: /proc/loadavg, /proc/uptime, /proc/sys/fs/file-nr,
 * and the utmp login records (binary, glibc x86-64 layout) for the logged-in user count.
 */
import { decimal, parseError, requireComplete, uint } from "./parse-util.js";

const C = "host:system";

export interface Loadavg {
  load1: number;
  load5: number;
  load15: number;
  /** Runnable scheduling entities (threads) right now. */
  running: number;
  /** All scheduling entities (threads) on the host. */
  threads: number;
}

export function parseLoadavg(text: string): Loadavg {
  requireComplete(text, C, "/proc/loadavg");
  const p = text.trim().split(/\s+/);
  if (p.length < 4) throw parseError(C, `/proc/loadavg has ${p.length} fields, expected 5`);
  const slash = p[3].split("/");
  return {
    load1: decimal(p[0], C, "/proc/loadavg", "load1"),
    load5: decimal(p[1], C, "/proc/loadavg", "load5"),
    load15: decimal(p[2], C, "/proc/loadavg", "load15"),
    running: uint(slash[0], C, "/proc/loadavg", "running"),
    threads: uint(slash[1], C, "/proc/loadavg", "threads"),
  };
}

export function parseUptime(text: string): { uptimeSeconds: number; idleSeconds: number } {
  requireComplete(text, C, "/proc/uptime");
  const p = text.trim().split(/\s+/);
  return {
    uptimeSeconds: decimal(p[0], C, "/proc/uptime", "uptime"),
    idleSeconds: decimal(p[1], C, "/proc/uptime", "idle"),
  };
}

export function parseFileNr(text: string): { allocated: number; maximum: number } {
  requireComplete(text, C, "/proc/sys/fs/file-nr");
  const p = text.trim().split(/\s+/);
  if (p.length !== 3) throw parseError(C, `/proc/sys/fs/file-nr has ${p.length} fields, expected 3`);
  return {
    allocated: uint(p[0], C, "/proc/sys/fs/file-nr", "allocated"),
    maximum: uint(p[2], C, "/proc/sys/fs/file-nr", "maximum"),
  };
}

/** glibc's `struct utmp` on x86-64 and aarch64: 384 bytes, `ut_type` first, user at 44. */
export const UTMP_RECORD_SIZE = 384;
const USER_PROCESS = 7;

/** Distinct user names with a USER_PROCESS record (what `users`/`who` count). */
export function parseUtmp(data: Uint8Array): string[] {
  if (data.length % UTMP_RECORD_SIZE !== 0) {
    throw parseError(C, `utmp size ${data.length} is not a multiple of ${UTMP_RECORD_SIZE}`, {
      size: data.length,
    });
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const users = new Set<string>();
  const dec = new TextDecoder();
  for (let off = 0; off < data.length; off += UTMP_RECORD_SIZE) {
    if (view.getInt32(off, true) !== USER_PROCESS) continue;
    const raw = data.subarray(off + 44, off + 44 + 32);
    const end = raw.indexOf(0);
    const name = dec.decode(end < 0 ? raw : raw.subarray(0, end));
    if (name) users.add(name);
  }
  return [...users];
}
