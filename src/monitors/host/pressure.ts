/** Pure parser for PSI files (/proc/pressure/{cpu,io,memory} and cgroup v2 `*.pressure`). */
import { decimal, parseError, requireComplete, uint } from "./parse-util.js";

export interface PressureLine {
  avg10: number;
  avg60: number;
  avg300: number;
  /** Total stall time, in seconds (the kernel counts microseconds). */
  totalSeconds: number;
}

export interface Pressure {
  some: PressureLine;
  /** Absent for cpu on kernels before 5.13 (and always zero for cpu at the system level). */
  full?: PressureLine;
}

export function parsePressure(text: string, file = "pressure"): Pressure {
  const C = "host:pressure";
  requireComplete(text, C, file);
  const out: Partial<Pressure> = {};
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const m = /^(some|full) avg10=(\S+) avg60=(\S+) avg300=(\S+) total=(\S+)$/.exec(line);
    if (!m) throw parseError(C, `${file}: malformed line ${JSON.stringify(line)}`, { file });
    out[m[1] as "some" | "full"] = {
      avg10: decimal(m[2], C, file, "avg10"),
      avg60: decimal(m[3], C, file, "avg60"),
      avg300: decimal(m[4], C, file, "avg300"),
      totalSeconds: uint(m[5], C, file, "total") / 1e6,
    };
  }
  if (!out.some) throw parseError(C, `${file} has no "some" line`, { file });
  return out as Pressure;
}
