/**
 * Every error Headroom throws or returns is a HeadroomError with a stable `code`, a message
 * that starts with the component (`[metrics] ...`), optional data the caller can act on, and
 * the underlying `cause` when there is one. Codes never change meaning between releases.
 */
export const ErrorCode = {
  InvalidName: "HR_INVALID_NAME",
  InvalidLabel: "HR_INVALID_LABEL",
  InvalidValue: "HR_INVALID_VALUE",
  InvalidBuckets: "HR_INVALID_BUCKETS",
  InvalidArgument: "HR_INVALID_ARGUMENT",
  AlreadyRegistered: "HR_ALREADY_REGISTERED",
  NotFound: "HR_NOT_FOUND",
  Config: "HR_CONFIG",
  Parse: "HR_PARSE",
  Timeout: "HR_TIMEOUT",
  Unavailable: "HR_UNAVAILABLE",
  Io: "HR_IO",
  Storage: "HR_STORAGE",
  Http: "HR_HTTP",
  ResourceLimitExceeded: "HR_RESOURCE_LIMIT_EXCEEDED",
  BudgetExceeded: "HR_BUDGET_EXCEEDED",
  PoolFull: "HR_POOL_FULL",
  SharingFailure: "HR_SHARING_FAILURE",
  Deadlock: "HR_DEADLOCK",
  Disposed: "HR_DISPOSED",
  StaleHandle: "HR_STALE_HANDLE",
  Unsupported: "HR_UNSUPPORTED",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface HeadroomErrorOptions<D> {
  /** Structured facts about the failure (the offending key, the limit and the actual value...). */
  data?: D;
  cause?: unknown;
}

export class HeadroomError<D = Record<string, unknown>> extends Error {
  readonly code: ErrorCode;
  readonly data: D | undefined;

  constructor(code: ErrorCode, message: string, options: HeadroomErrorOptions<D> = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "HeadroomError";
    this.code = code;
    this.data = options.data;
  }
}

/** True when `err` is a HeadroomError, optionally with the given code. */
export function isHeadroomError(err: unknown, code?: ErrorCode): err is HeadroomError {
  return err instanceof HeadroomError && (code === undefined || err.code === code);
}

/** The message of any thrown value, for logs and API error bodies (never a stack trace). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
