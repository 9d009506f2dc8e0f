/**
 * What `acquireResource` and friends return: either the value or a typed error. Expected
 * failures (budget exceeded, pool full, not found, sharing failure, deadlock, timeout, disposed,
 * bad input) come back as values so a caller can branch on `error.code` without try/catch; the
 * manager throws only for misconfiguration (`setBudget`, `createPool`).
 */
import { type ErrorCode, HeadroomError } from "../errors.js";

/** Facts an acquisition error carries: the request, and for some codes the numbers behind it. */
export interface AcquireErrorData {
  readonly name?: string;
  readonly type?: string;
  readonly sizeBytes?: number;
  /** Bytes used, and the limit that applied to this priority, when the budget said no. */
  readonly usedBytes?: number;
  readonly limitBytes?: number;
  /** The pool that had no free block. */
  readonly pool?: string;
  /** Owners holding the named resource when it could not be shared or taken. */
  readonly holders?: readonly string[];
  /** For a deadlock: the owners in the wait cycle, first repeated at the end (`a -> b -> a`). */
  readonly cycle?: readonly string[];
  readonly timeoutMs?: number;
}

export type AcquireResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: HeadroomError<AcquireErrorData> };

export function ok<T>(value: T): AcquireResult<T> {
  return { ok: true, value };
}

export function fail<T>(
  code: ErrorCode,
  message: string,
  data: AcquireErrorData = {},
  cause?: unknown,
): AcquireResult<T> {
  return { ok: false, error: new HeadroomError<AcquireErrorData>(code, message, { data, cause }) };
}
