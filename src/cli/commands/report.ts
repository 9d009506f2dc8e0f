/**
 * `headroom report --since 24h --format text|json|csv [--series ...]`: history from a running
 * agent, in the seed's three report formats. Text is one summary line per series (min, mean,
 * max, last); JSON carries the same plus the points; CSV is one row per point. A progress bar
 * goes to stderr on a terminal when the report spans many series.
 */
import { parseDuration } from "../../agent/duration.js";
import { ErrorCode, HeadroomError } from "../../errors.js";
import { seriesKey } from "../../history/series.js";
import type { ApiClient } from "../api-client.js";
import type { CliIo } from "../io.js";
import { humanValue, table } from "../style.js";

export interface ReportFlags {
  since: string;
  format: string;
  series?: string[];
  points?: string;
}

interface QueryResult {
  series: { name: string; labels: Record<string, string>; points: [number, number][] }[];
}

export interface SeriesReport {
  series: string;
  count: number;
  min: number;
  max: number;
  mean: number;
  last: number;
  points: [number, number][];
}

export function summarize(key: string, points: [number, number][]): SeriesReport {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const [, v] of points) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const n = points.length;
  return {
    series: key,
    count: n,
    min: n ? min : Number.NaN,
    max: n ? max : Number.NaN,
    mean: n ? sum / n : Number.NaN,
    last: n ? points[n - 1][1] : Number.NaN,
    points,
  };
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatReport(format: string, reports: SeriesReport[], sinceMs: number): string {
  if (format === "json") return `${JSON.stringify({ sinceMs, series: reports }, null, 2)}\n`;
  if (format === "csv") {
    const lines = ["series,timestamp,value"];
    for (const r of reports)
      for (const [t, v] of r.points) lines.push(`${csvCell(r.series)},${new Date(t).toISOString()},${v}`);
    return `${lines.join("\n")}\n`;
  }
  const name = (k: string) => k.replace(/\{.*$/, "");
  const rows = reports.map((r) => [
    r.series,
    String(r.count),
    ...[r.min, r.mean, r.max, r.last].map((v) => (Number.isNaN(v) ? "-" : humanValue(name(r.series), v))),
  ]);
  return `Resource report since ${new Date(sinceMs).toISOString()}\n\n${table(["series", "points", "min", "mean", "max", "last"], rows)}\n`;
}

export async function runReport(flags: ReportFlags, client: ApiClient, io: CliIo): Promise<number> {
  if (!["text", "json", "csv"].includes(flags.format)) {
    throw new HeadroomError(
      ErrorCode.Config,
      `[cli] --format: expected text, json or csv, got "${flags.format}"`,
    );
  }
  const sinceMs = parseDuration(flags.since);
  if (sinceMs === undefined || sinceMs <= 0) {
    throw new HeadroomError(
      ErrorCode.Config,
      `[cli] --since: expected a duration like "24h", got "${flags.since}"`,
    );
  }
  const selectors =
    flags.series && flags.series.length > 0
      ? flags.series
      : [
          ...new Set(
            (await client.get<{ series: { name: string }[] }>("/api/v1/series")).series.map((s) => s.name),
          ),
        ];
  const reports: SeriesReport[] = [];
  const showProgress = io.isTty && selectors.length > 20;
  for (let i = 0; i < selectors.length; i++) {
    const q = `/api/v1/query?series=${encodeURIComponent(selectors[i])}&from=-${Math.round(sinceMs / 1000)}s&points=${flags.points ?? "300"}`;
    const result = await client.get<QueryResult>(q);
    for (const s of result.series) reports.push(summarize(seriesKey(s.name, s.labels), s.points));
    if (showProgress) {
      const done = Math.round(((i + 1) / selectors.length) * 30);
      io.err(`\r[${"#".repeat(done)}${" ".repeat(30 - done)}] ${i + 1}/${selectors.length}`);
    }
  }
  if (showProgress) io.err("\n");
  reports.sort((a, b) => a.series.localeCompare(b.series));
  io.out(formatReport(flags.format, reports, Date.now() - sinceMs));
  return 0;
}
