/**
 * `generateReport` renderers. TEXT is for people (aligned columns), JSON for programs, CSV for
 * spreadsheets (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled).
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { ReportFormat, type ResourceStats } from "./types.js";

const COLUMNS = [
  "name",
  "type",
  "current",
  "min",
  "max",
  "average",
  "count",
  "p50",
  "p90",
  "p99",
  "lastUpdated",
] as const;

function row(s: ResourceStats): (string | number)[] {
  return [
    s.name,
    s.type,
    s.current,
    s.min,
    s.max,
    s.average,
    s.count,
    s.percentiles.p50,
    s.percentiles.p90,
    s.percentiles.p99,
    s.lastUpdated === undefined ? "" : new Date(s.lastUpdated).toISOString(),
  ];
}

export function csvField(value: string | number): string {
  const s = typeof value === "number" ? (Number.isNaN(value) ? "" : String(value)) : value;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function fmt(v: string | number): string {
  if (typeof v === "string") return v;
  if (Number.isNaN(v)) return "-";
  return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, "");
}

/** Normalises a format name (`"json"`, `ReportFormat.Json`); throws HR_INVALID_ARGUMENT for others. */
export function parseReportFormat(format: string): ReportFormat {
  const upper = typeof format === "string" ? format.toUpperCase() : "";
  if (upper === "TEXT" || upper === "JSON" || upper === "CSV") return upper;
  throw new HeadroomError(
    ErrorCode.InvalidArgument,
    `[tracker] unknown report format "${String(format)}"; expected TEXT, JSON or CSV`,
    { data: { format, expected: Object.values(ReportFormat) } },
  );
}

export function renderReport(stats: readonly ResourceStats[], format: string, generatedAt: number): string {
  const f = parseReportFormat(format);
  if (f === "JSON") {
    return JSON.stringify(
      {
        generatedAt: new Date(generatedAt).toISOString(),
        resources: stats.map((s) => ({
          ...s,
          lastUpdated: s.lastUpdated === undefined ? null : new Date(s.lastUpdated).toISOString(),
        })),
      },
      (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v),
      2,
    );
  }
  if (f === "CSV") {
    const lines = [COLUMNS.join(",")];
    for (const s of stats) lines.push(row(s).map(csvField).join(","));
    return `${lines.join("\r\n")}\r\n`;
  }
  const table = [COLUMNS as readonly string[], ...stats.map((s) => row(s).map(fmt))];
  const widths = COLUMNS.map((_, c) => Math.max(...table.map((r) => String(r[c]).length)));
  const text = table.map((r) =>
    r
      .map((v, c) => String(v).padEnd(widths[c]))
      .join("  ")
      .trimEnd(),
  );
  return [
    `Resource report (${new Date(generatedAt).toISOString()}, ${stats.length} resources)`,
    ...text,
  ].join("\n");
}
