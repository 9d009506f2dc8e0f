/**
 * One type's budget and its usage. Every change recomputes the pressure level with a few
 * comparisons against byte thresholds worked out once in `configure`, so a charge is O(1) and
 * reads no clock.
 *
 * Pressure levels against `maxBytes` (warning 75, critical 90 gives 37.5 / 75 / 82.5 / 90 %):
 * low from half the warning percent, medium from the warning percent, high from halfway between
 * warning and critical, critical from the critical percent (and whenever usage is past the max,
 * which only Emergency grants can cause).
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { ResourcePressure, ResourcePriority, type ResourceType, resourceTypeName } from "./types.js";

/** The seed's ResourceBudget: `setBudget(type, { maxBytes, reservedBytes, warningPercent, criticalPercent })`. */
export interface ResourceBudget {
  /** Most bytes live at once for this type; Infinity for no limit. */
  readonly maxBytes: number;
  /** The top slice of `maxBytes` that only High and Critical priority requests may use. */
  readonly reservedBytes?: number;
  /** Percent of `maxBytes` where pressure becomes medium; 75 when omitted. */
  readonly warningPercent?: number;
  /** Percent of `maxBytes` where pressure becomes critical; 90 when omitted. */
  readonly criticalPercent?: number;
}

/** The seed's ResourceStats for one type, as plain data. */
export interface ResourceStats {
  readonly type: string;
  readonly currentUsage: number;
  readonly peakUsage: number;
  readonly liveCount: number;
  readonly allocationCount: number;
  readonly emergencyGrants: number;
  readonly pressure: ResourcePressure;
  readonly maxBytes: number;
  readonly reservedBytes: number;
  readonly warningPercent: number;
  readonly criticalPercent: number;
}

/** Throws when a budget is malformed; returns it with defaults filled in. */
export function validateBudget(type: ResourceType, budget: ResourceBudget): Required<ResourceBudget> {
  const where = `[resources] budget for ${resourceTypeName(type)}`;
  const bad = (what: string): never => {
    throw new HeadroomError(ErrorCode.InvalidArgument, `${where}: ${what}`, { data: { type, budget } });
  };
  if (budget === null || typeof budget !== "object") bad("must be an object");
  const { maxBytes } = budget;
  const reservedBytes = budget.reservedBytes ?? 0;
  const warningPercent = budget.warningPercent ?? 75;
  const criticalPercent = budget.criticalPercent ?? 90;
  if (!(maxBytes === Number.POSITIVE_INFINITY || (Number.isSafeInteger(maxBytes) && maxBytes > 0))) {
    bad(`maxBytes ${String(maxBytes)} must be a positive integer or Infinity`);
  }
  if (!Number.isSafeInteger(reservedBytes) || reservedBytes < 0) {
    bad(`reservedBytes ${String(reservedBytes)} must be a non-negative integer`);
  }
  if (reservedBytes > maxBytes) bad(`reservedBytes ${reservedBytes} exceeds maxBytes ${maxBytes}`);
  const percentOk = (p: number) => typeof p === "number" && p > 0 && p <= 100;
  if (!percentOk(warningPercent)) bad(`warningPercent ${String(warningPercent)} must be in (0, 100]`);
  if (!percentOk(criticalPercent)) bad(`criticalPercent ${String(criticalPercent)} must be in (0, 100]`);
  if (warningPercent > criticalPercent) {
    bad(`warningPercent ${warningPercent} exceeds criticalPercent ${criticalPercent}`);
  }
  return { maxBytes, reservedBytes, warningPercent, criticalPercent };
}

/** Usage and limits of one type. Owned by the manager; mutated only through its methods. */
export class TypeBudget {
  readonly type: ResourceType;
  maxBytes = Number.POSITIVE_INFINITY;
  reservedBytes = 0;
  warningPercent = 75;
  criticalPercent = 90;
  usedBytes = 0;
  peakBytes = 0;
  liveCount = 0;
  allocationCount = 0;
  emergencyGrants = 0;
  /** Level from this budget's own usage. */
  level: ResourcePressure = ResourcePressure.None;
  /** Level fed from outside (host memory pressure); the effective level is the higher one. */
  hostLevel: ResourcePressure = ResourcePressure.None;
  #lowAt = Number.POSITIVE_INFINITY;
  #mediumAt = Number.POSITIVE_INFINITY;
  #highAt = Number.POSITIVE_INFINITY;
  #criticalAt = Number.POSITIVE_INFINITY;

  constructor(type: ResourceType) {
    this.type = type;
  }

  /** Applies a validated budget; returns the previous effective level. */
  configure(budget: Required<ResourceBudget>): ResourcePressure {
    const before = this.effectiveLevel();
    this.maxBytes = budget.maxBytes;
    this.reservedBytes = budget.reservedBytes;
    this.warningPercent = budget.warningPercent;
    this.criticalPercent = budget.criticalPercent;
    const max = budget.maxBytes;
    this.#lowAt = (max * budget.warningPercent) / 200;
    this.#mediumAt = (max * budget.warningPercent) / 100;
    this.#highAt = (max * (budget.warningPercent + budget.criticalPercent)) / 200;
    this.#criticalAt = (max * budget.criticalPercent) / 100;
    this.#recompute();
    return before;
  }

  /** True when `size` more bytes at `priority` stay within the budget (reserve only for High+). */
  fits(size: number, priority: ResourcePriority): boolean {
    const limit = priority >= ResourcePriority.High ? this.maxBytes : this.maxBytes - this.reservedBytes;
    return this.usedBytes + size <= limit;
  }

  /** Bytes missing for `size` at `priority` to fit (0 when it fits). */
  shortfall(size: number, priority: ResourcePriority): number {
    const limit = priority >= ResourcePriority.High ? this.maxBytes : this.maxBytes - this.reservedBytes;
    return Math.max(0, this.usedBytes + size - limit);
  }

  /** Charges `size` bytes; returns the effective level before, so the caller can report a transition. */
  charge(size: number): ResourcePressure {
    const before = this.effectiveLevel();
    this.usedBytes += size;
    this.liveCount++;
    this.allocationCount++;
    if (this.usedBytes > this.peakBytes) this.peakBytes = this.usedBytes;
    this.#recompute();
    return before;
  }

  /** Credits `size` bytes back; returns the effective level before. */
  credit(size: number): ResourcePressure {
    const before = this.effectiveLevel();
    this.usedBytes -= size;
    this.liveCount--;
    this.#recompute();
    return before;
  }

  effectiveLevel(): ResourcePressure {
    return Math.max(this.level, this.hostLevel) as ResourcePressure;
  }

  #recompute(): void {
    const u = this.usedBytes;
    this.level =
      u >= this.#criticalAt || u > this.maxBytes
        ? ResourcePressure.Critical
        : u >= this.#highAt
          ? ResourcePressure.High
          : u >= this.#mediumAt
            ? ResourcePressure.Medium
            : u >= this.#lowAt && u > 0
              ? ResourcePressure.Low
              : ResourcePressure.None;
  }

  stats(): ResourceStats {
    return {
      type: resourceTypeName(this.type),
      currentUsage: this.usedBytes,
      peakUsage: this.peakBytes,
      liveCount: this.liveCount,
      allocationCount: this.allocationCount,
      emergencyGrants: this.emergencyGrants,
      pressure: this.effectiveLevel(),
      maxBytes: this.maxBytes,
      reservedBytes: this.reservedBytes,
      warningPercent: this.warningPercent,
      criticalPercent: this.criticalPercent,
    };
  }
}
