/**
 * Pure parser for /proc/net/dev: per interface, both directions, with node_exporter's field
 * names (`receive_bytes`, `transmit_colls`, ...).
 */
import { parseError, requireComplete, uint } from "./parse-util.js";

const C = "host:network";

export const RECEIVE_FIELDS = [
  "bytes",
  "packets",
  "errs",
  "drop",
  "fifo",
  "frame",
  "compressed",
  "multicast",
] as const;
export const TRANSMIT_FIELDS = [
  "bytes",
  "packets",
  "errs",
  "drop",
  "fifo",
  "colls",
  "carrier",
  "compressed",
] as const;

export interface NetDevStats {
  device: string;
  receive: Record<(typeof RECEIVE_FIELDS)[number], number>;
  transmit: Record<(typeof TRANSMIT_FIELDS)[number], number>;
}

export function parseNetDev(text: string): NetDevStats[] {
  requireComplete(text, C, "/proc/net/dev");
  const lines = text.split("\n");
  if (lines.length < 3 || !lines[1].includes("|")) throw parseError(C, "/proc/net/dev has no header");
  const out: NetDevStats[] = [];
  for (let i = 2; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const colon = lines[i].indexOf(":");
    if (colon < 0) throw parseError(C, `/proc/net/dev line ${i + 1} has no interface name`, { line: i + 1 });
    const device = lines[i].slice(0, colon).trim();
    const p = lines[i]
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    if (p.length !== 16) {
      throw parseError(C, `/proc/net/dev line ${i + 1} (${device}) has ${p.length} fields, expected 16`, {
        line: i + 1,
        device,
      });
    }
    const receive = {} as NetDevStats["receive"];
    const transmit = {} as NetDevStats["transmit"];
    for (let k = 0; k < 8; k++) {
      receive[RECEIVE_FIELDS[k]] = uint(p[k], C, "/proc/net/dev", device, k + 1);
      transmit[TRANSMIT_FIELDS[k]] = uint(p[8 + k], C, "/proc/net/dev", device, 9 + k);
    }
    out.push({ device, receive, transmit });
  }
  return out;
}
