/**
 * Object pool options, their validation, and the lease report shape.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { ResourceType } from "./types.js";

export interface ObjectPoolOptions<T> {
  readonly name: string;
  /** Builds an object; may be async. A throw or rejection is counted and retried with backoff. */
  readonly create: () => T | Promise<T>;
  /** Disposes of an object; errors are counted. */
  readonly destroy?: (obj: T) => void | Promise<void>;
  /** Checked on checkout from idle; false destroys the object and tries the next. */
  readonly validate?: (obj: T) => boolean;
  /** Most objects alive (idle, leased or being created). */
  readonly max: number;
  /** Objects kept even when idle; 0 when omitted. */
  readonly min?: number;
  readonly type?: ResourceType;
  /** Idle objects above `min` older than this are destroyed. */
  readonly idleTimeoutMs?: number;
  /** Objects older than this are destroyed when idle or on release. */
  readonly maxLifetimeMs?: number;
  /** A lease held longer is reported to `onLeaseTimeout` (once per lease). */
  readonly leaseTimeoutMs?: number;
  readonly onLeaseTimeout?: (lease: LeaseInfo) => void;
  /** An acquire not served within this fails with HR_TIMEOUT; none when omitted. */
  readonly acquireTimeoutMs?: number;
  /** First retry delay after a factory failure, doubled per failure up to `maxBackoffMs`; 10 and 5000. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Factory failures in a row before waiting acquires fail; 5 when omitted. */
  readonly createRetryLimit?: number;
  /** Housekeeping period; derived from the timeouts when omitted. */
  readonly sweepIntervalMs?: number;
  /** Records each lease's acquiring stack (costly). */
  readonly captureStacks?: boolean;
}

/** One lease, for reports. */
export interface LeaseInfo {
  readonly pool: string;
  readonly holder: string;
  /** How long the lease has been held, to the housekeeping period's accuracy. */
  readonly heldMs: number;
  readonly stack?: string;
}

export function disposed(pool: string): HeadroomError {
  return new HeadroomError(ErrorCode.Disposed, `[resources:pool] "${pool}" is closed`, { data: { pool } });
}

export function validateObjectPool<T>(o: ObjectPoolOptions<T>): ObjectPoolOptions<T> {
  const where = `[resources:pool] object pool ${typeof o?.name === "string" ? `"${o.name}"` : "(unnamed)"}`;
  const bad = (what: string): never => {
    throw new HeadroomError(ErrorCode.InvalidArgument, `${where}: ${what}`, { data: { name: o?.name } });
  };
  if (o === null || typeof o !== "object") bad("options must be an object");
  if (typeof o.name !== "string" || o.name.length === 0) bad("name must be a non-empty string");
  if (typeof o.create !== "function") bad("create must be a function");
  if (!Number.isSafeInteger(o.max) || o.max < 1) bad(`max ${String(o.max)} must be a positive integer`);
  const min = o.min ?? 0;
  if (!Number.isSafeInteger(min) || min < 0 || min > o.max) bad(`min ${String(min)} must be in [0, max]`);
  for (const key of [
    "idleTimeoutMs",
    "maxLifetimeMs",
    "leaseTimeoutMs",
    "acquireTimeoutMs",
    "backoffMs",
    "maxBackoffMs",
    "sweepIntervalMs",
  ] as const) {
    const v = o[key];
    if (v !== undefined && !(typeof v === "number" && v >= 0 && Number.isFinite(v)))
      bad(`${key} ${String(v)} must be a finite number >= 0`);
  }
  return o;
}
