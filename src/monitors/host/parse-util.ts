/**
 * Shared checks for the pure /proc and /sys parsers: kernel text files always end in a newline,
 * so a file without one was cut short (a short read, a truncated fixture) and must not yield
 * numbers; a field that is not a plain non-negative integer is refused rather than guessed.
 */
import { ErrorCode, HeadroomError } from "../../errors.js";

export function parseError(
  component: string,
  message: string,
  data: Record<string, unknown> = {},
): HeadroomError {
  return new HeadroomError(ErrorCode.Parse, `[${component}] ${message}`, { data });
}

/** Throws when `text` is empty or does not end with a newline (a truncated read). */
export function requireComplete(text: string, component: string, file: string): void {
  if (text.length === 0) throw parseError(component, `${file} is empty`, { file });
  if (text.charCodeAt(text.length - 1) !== 10) {
    throw parseError(component, `${file} is truncated (no final newline)`, { file });
  }
}

/** A non-negative decimal integer field, or a parse error naming the file, line and field. */
export function uint(
  token: string | undefined,
  component: string,
  file: string,
  where: string,
  index = -1,
): number {
  if (token === undefined || !isDigits(token)) {
    // The position is passed apart so hot callers never build a message for a valid field.
    const at = index < 0 ? where : `${where} ${index}`;
    throw parseError(component, `${file}: ${at} is not an unsigned integer: ${JSON.stringify(token)}`, {
      file,
      where: at,
      token,
    });
  }
  return Number(token);
}

/** True when `s` is one or more ASCII digits (a char loop: this runs per field on hot paths). */
export function isDigits(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A finite decimal number field (load averages, uptime), or a parse error. */
export function decimal(token: string | undefined, component: string, file: string, where: string): number {
  if (token === undefined || !/^-?\d+(\.\d+)?$/.test(token)) {
    throw parseError(component, `${file}: ${where} is not a number: ${JSON.stringify(token)}`, {
      file,
      where,
      token,
    });
  }
  return Number(token);
}
