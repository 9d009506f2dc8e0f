/**
 * Terminal output helpers: colours only on a TTY and never when NO_COLOR is set
 * (https://no-color.org), aligned tables, human units.
 */
export interface Style {
  readonly color: boolean;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export function createStyle(
  isTty: boolean,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Style {
  const color = isTty && !("NO_COLOR" in env && env.NO_COLOR !== "") && env.TERM !== "dumb";
  const wrap = (code: string, reset: string) => (s: string) =>
    color ? `\x1b[${code}m${s}\x1b[${reset}m` : s;
  return {
    color,
    red: wrap("31", "39"),
    yellow: wrap("33", "39"),
    green: wrap("32", "39"),
    dim: wrap("2", "22"),
    bold: wrap("1", "22"),
  };
}

/** Visible width, ignoring ANSI colour codes. */
function width(s: string): number {
  return s.replace(/\x1b\[[0-9;]*m/g, "").length;
}

/** Rows padded into columns; numbers (right-aligned) are detected per cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => {
        const pad = " ".repeat(Math.max(0, widths[i] - width(c)));
        return /^-?[\d.]+(e[+-]?\d+)?( ?[a-zA-Z%/]+)?$/.test(c) && i > 0 ? pad + c : c + pad;
      })
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

export function humanBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** A value formatted by its metric name's unit suffix. */
export function humanValue(name: string, value: number): string {
  if (name.endsWith("_bytes") || name.endsWith("_bytes_total")) return humanBytes(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toPrecision(4);
}
