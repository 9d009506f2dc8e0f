/**
 * Pure parsers for the two /proc/self files the runtime monitor reads (prom-client reads the
 * same ones), and the thin reads around them. Linux only: elsewhere the reads return undefined
 * and the series are simply not written.
 */
import { readdirSync, readFileSync } from "node:fs";

/** The soft "Max open files" limit from /proc/self/limits text, or undefined ("unlimited" or absent). */
export function parseMaxFds(limits: string): number | undefined {
  const m = /^Max open files\s+(\d+|unlimited)\s+/m.exec(limits);
  if (!m || m[1] === "unlimited") return undefined;
  return Number(m[1]);
}

export interface ProcStatus {
  /** VmRSS, VmSize, VmData in bytes (prom-client's resident, virtual and heap bytes). */
  residentBytes: number | undefined;
  virtualBytes: number | undefined;
  heapBytes: number | undefined;
}

/** VmRSS / VmSize / VmData from /proc/self/status text (kB in the file, bytes here). */
export function parseProcStatus(status: string): ProcStatus {
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, "m").exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  return { residentBytes: kb("VmRSS"), virtualBytes: kb("VmSize"), heapBytes: kb("VmData") };
}

/** Reads a /proc file, or undefined where there is no /proc. */
export function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** Open descriptors of this process (the directory handle readdir itself holds is not counted). */
export function countOpenFds(fdDir = "/proc/self/fd"): number | undefined {
  try {
    return readdirSync(fdDir).length - 1;
  } catch {
    return undefined;
  }
}
