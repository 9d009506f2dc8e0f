/**
 * Pure parser for /proc/diskstats (14 fields before 4.18, 18 with discards, 20 with flushes since
 * 5.5), in node_exporter's units: sectors are always 512 bytes here whatever the device's sector
 * size, times are seconds. Devices are filtered with node_exporter 1.5's default exclusion
 * (partitions, loop, ram, floppy).
 */
import { parseError, requireComplete, uint } from "./parse-util.js";

const C = "host:disk";

export interface DiskStats {
  device: string;
  readsCompleted: number;
  readsMerged: number;
  readBytes: number;
  readTimeSeconds: number;
  writesCompleted: number;
  writesMerged: number;
  writtenBytes: number;
  writeTimeSeconds: number;
  ioNow: number;
  ioTimeSeconds: number;
  ioTimeWeightedSeconds: number;
  discardsCompleted?: number;
  discardsMerged?: number;
  discardedSectors?: number;
  discardTimeSeconds?: number;
  flushRequests?: number;
  flushTimeSeconds?: number;
}

/** node_exporter 1.5's `--collector.diskstats.device-exclude` default. */
export const DEFAULT_DISK_EXCLUDE = /^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$/;

export const SECTOR_BYTES = 512;

export function parseDiskstats(text: string): DiskStats[] {
  requireComplete(text, C, "/proc/diskstats");
  const out: DiskStats[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const p = lines[i].trim().split(/\s+/);
    if (p.length !== 14 && p.length !== 18 && p.length !== 20) {
      throw parseError(C, `/proc/diskstats line ${i + 1} has ${p.length} fields (expected 14, 18 or 20)`, {
        line: i + 1,
      });
    }
    const d: DiskStats = {
      device: p[2],
      readsCompleted: uint(p[3], C, "/proc/diskstats", p[2], 4),
      readsMerged: uint(p[4], C, "/proc/diskstats", p[2], 5),
      readBytes: uint(p[5], C, "/proc/diskstats", p[2], 6) * SECTOR_BYTES,
      readTimeSeconds: uint(p[6], C, "/proc/diskstats", p[2], 7) / 1000,
      writesCompleted: uint(p[7], C, "/proc/diskstats", p[2], 8),
      writesMerged: uint(p[8], C, "/proc/diskstats", p[2], 9),
      writtenBytes: uint(p[9], C, "/proc/diskstats", p[2], 10) * SECTOR_BYTES,
      writeTimeSeconds: uint(p[10], C, "/proc/diskstats", p[2], 11) / 1000,
      ioNow: uint(p[11], C, "/proc/diskstats", p[2], 12),
      ioTimeSeconds: uint(p[12], C, "/proc/diskstats", p[2], 13) / 1000,
      ioTimeWeightedSeconds: uint(p[13], C, "/proc/diskstats", p[2], 14) / 1000,
    };
    if (p.length >= 18) {
      d.discardsCompleted = uint(p[14], C, "/proc/diskstats", p[2], 15);
      d.discardsMerged = uint(p[15], C, "/proc/diskstats", p[2], 16);
      d.discardedSectors = uint(p[16], C, "/proc/diskstats", p[2], 17);
      d.discardTimeSeconds = uint(p[17], C, "/proc/diskstats", p[2], 18) / 1000;
    }
    if (p.length >= 20) {
      d.flushRequests = uint(p[18], C, "/proc/diskstats", p[2], 19);
      d.flushTimeSeconds = uint(p[19], C, "/proc/diskstats", p[2], 20) / 1000;
    }
    out.push(d);
  }
  return out;
}
