/**
 * Pure parsers for `nvidia-smi --query-gpu=... --format=csv,noheader,nounits` and
 * `--query-compute-apps=...` output (the fallback path of the NVIDIA provider). Fields the
 * driver cannot report (`[N/A]`, `[Not Supported]`, `[Unknown Error]`) become undefined.
 * A malformed line throws HR_PARSE naming the line and the field; callers in loop mode count
 * and skip it so one bad line never stops the stream.
 */
import { ErrorCode, HeadroomError } from "../../errors.js";
import { type GpuDeviceSample, type GpuProcessSample, MIB } from "./gpu-sample.js";

/** The fields Headroom asks for, in order (`clocks.sm` / `clocks.mem` are current clocks). */
export const SMI_GPU_FIELDS = [
  "index",
  "uuid",
  "name",
  "utilization.gpu",
  "utilization.memory",
  "memory.total",
  "memory.used",
  "memory.free",
  "temperature.gpu",
  "power.draw",
  "power.limit",
  "clocks.sm",
  "clocks.mem",
] as const;

/** `process_name` last: it is the only field that may itself contain ", ". */
export const SMI_APP_FIELDS = ["timestamp", "gpu_uuid", "pid", "used_memory", "process_name"] as const;

/** A process line with the GPU it runs on and the timestamp of the loop iteration that printed it. */
export interface SmiAppLine extends GpuProcessSample {
  readonly gpuUuid: string;
  readonly timestamp: string;
}

const UNAVAILABLE =
  /^\[?(N\/A|Not Supported|Unknown Error|Insufficient Permissions|GPU is lost|Not Available)\]?$/i;
// Tolerates a unit suffix ("700.00 W", "3050 MiB") so `--format=csv` without nounits also parses.
const NUMBER = /^(-?\d+(?:\.\d+)?)(?: ?(%|MiB|W|MHz|C))?$/;

function fail(lineNo: number, field: string, raw: string, why: string): never {
  throw new HeadroomError(
    ErrorCode.Parse,
    `[gpu:nvidia-smi] line ${lineNo}: field ${field} ${why}: "${raw}"`,
    {
      data: { line: lineNo, field, value: raw },
    },
  );
}

function num(raw: string, lineNo: number, field: string): number | undefined {
  if (UNAVAILABLE.test(raw)) return undefined;
  const m = NUMBER.exec(raw);
  if (!m) fail(lineNo, field, raw, "is not a number");
  return Number(m[1]);
}

function int(raw: string, lineNo: number, field: string): number {
  const v = num(raw, lineNo, field);
  if (v === undefined || !Number.isInteger(v) || v < 0)
    fail(lineNo, field, raw, "is not a non-negative integer");
  return v;
}

function mib(raw: string, lineNo: number, field: string): number | undefined {
  const v = num(raw, lineNo, field);
  return v === undefined ? undefined : v * MIB;
}

/** Splits a noheader CSV line; `mergeAt` absorbs extra cells (a name holding ", "). */
function split(line: string, lineNo: number, fields: readonly string[], mergeAt: number): string[] {
  const cells = line.split(",").map((c) => c.trim());
  if (cells.length > fields.length && mergeAt >= 0) {
    const extra = cells.length - fields.length;
    const merged = cells.slice(mergeAt, mergeAt + extra + 1).join(", ");
    cells.splice(mergeAt, extra + 1, merged);
  }
  if (cells.length !== fields.length) {
    throw new HeadroomError(
      ErrorCode.Parse,
      `[gpu:nvidia-smi] line ${lineNo}: expected ${fields.length} fields (${fields.join(",")}), got ${cells.length}`,
      { data: { line: lineNo, expected: fields.length, actual: cells.length } },
    );
  }
  return cells;
}

/**
 * One `--query-gpu` line for the given field list (SMI_GPU_FIELDS by default; any list
 * holding at least `index` works, unknown fields are ignored). Throws HR_PARSE.
 */
export function parseQueryGpuLine(
  line: string,
  lineNo = 1,
  fields: readonly string[] = SMI_GPU_FIELDS,
): GpuDeviceSample {
  const cells = split(line, lineNo, fields, fields.indexOf("name"));
  const at = (f: string): string | undefined => {
    const i = fields.indexOf(f);
    return i < 0 ? undefined : cells[i];
  };
  const get = (f: string, conv: typeof num): number | undefined => {
    const raw = at(f);
    return raw === undefined ? undefined : conv(raw, lineNo, f);
  };
  const indexRaw = at("index");
  if (indexRaw === undefined) fail(lineNo, "index", "", "is missing from the field list");
  return {
    index: int(indexRaw, lineNo, "index"),
    uuid: at("uuid") ?? at("gpu_uuid") ?? "",
    name: at("name") ?? at("gpu_name") ?? "",
    utilizationGpu: get("utilization.gpu", num),
    utilizationMemory: get("utilization.memory", num),
    memoryTotalBytes: get("memory.total", mib),
    memoryUsedBytes: get("memory.used", mib),
    memoryFreeBytes: get("memory.free", mib),
    temperatureC: get("temperature.gpu", num),
    powerDrawW: get("power.draw", num),
    powerLimitW: get("power.limit", num),
    smClockMhz: get("clocks.sm", num) ?? get("clocks.current.sm", num),
    memClockMhz: get("clocks.mem", num) ?? get("clocks.current.memory", num),
    processes: [],
  };
}

/** Every non-empty line of a `--query-gpu` output. Throws HR_PARSE on the first bad line. */
export function parseQueryGpuCsv(
  text: string,
  fields: readonly string[] = SMI_GPU_FIELDS,
): GpuDeviceSample[] {
  const out: GpuDeviceSample[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() !== "") out.push(parseQueryGpuLine(line, i + 1, fields));
  });
  return out;
}

/** One `--query-compute-apps` line for the given field list (SMI_APP_FIELDS by default). Throws HR_PARSE. */
export function parseComputeAppLine(
  line: string,
  lineNo = 1,
  fields: readonly string[] = SMI_APP_FIELDS,
): SmiAppLine {
  const cells = split(line, lineNo, fields, fields.indexOf("process_name"));
  const at = (f: string): string | undefined => {
    const i = fields.indexOf(f);
    return i < 0 ? undefined : cells[i];
  };
  const pid = at("pid");
  if (pid === undefined) fail(lineNo, "pid", "", "is missing from the field list");
  const mem = at("used_memory") ?? at("used_gpu_memory");
  return {
    pid: int(pid, lineNo, "pid"),
    name: at("process_name") ?? at("name") ?? "",
    usedBytes: mem === undefined ? undefined : mib(mem, lineNo, "used_memory"),
    gpuUuid: at("gpu_uuid") ?? "",
    timestamp: at("timestamp") ?? "",
  };
}

/** Every non-empty line of a `--query-compute-apps` output (empty output: no processes). */
export function parseComputeAppsCsv(text: string, fields: readonly string[] = SMI_APP_FIELDS): SmiAppLine[] {
  const out: SmiAppLine[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() !== "") out.push(parseComputeAppLine(line, i + 1, fields));
  });
  return out;
}
