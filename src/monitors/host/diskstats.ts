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
    const n = (k: number) => uint(p[k], C, "/proc/diskstats", `line ${i + 1} field ${k + 1}`);
    const d: DiskStats = {
      device: p[2],
      readsCompleted: n(3),
      readsMerged: n(4),
      readBytes: n(5) * SECTOR_BYTES,
      readTimeSeconds: n(6) / 1000,
      writesCompleted: n(7),
      writesMerged: n(8),
      writtenBytes: n(9) * SECTOR_BYTES,
      writeTimeSeconds: n(10) / 1000,
      ioNow: n(11),
      ioTimeSeconds: n(12) / 1000,
      ioTimeWeightedSeconds: n(13) / 1000,
    };
    if (p.length >= 18) {
      d.discardsCompleted = n(14);
      d.discardsMerged = n(15);
      d.discardedSectors = n(16);
      d.discardTimeSeconds = n(17) / 1000;
    }
    if (p.length >= 20) {
      d.flushRequests = n(18);
      d.flushTimeSeconds = n(19) / 1000;
    }
    out.push(d);
  }
  return out;
}
