/** Query argument checks shared by every store: an inverted or non-finite range is a caller bug. */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { DownsampleRange, StepRange, TimeRange } from "./history-store.js";

export function checkRange(range: TimeRange): void {
  if (!Number.isFinite(range.startMs) || !Number.isFinite(range.endMs) || range.endMs < range.startMs) {
    throw new HeadroomError(
      ErrorCode.InvalidArgument,
      `[history] invalid range: startMs ${range.startMs} must be <= endMs ${range.endMs}, both finite`,
      { data: { startMs: range.startMs, endMs: range.endMs } },
    );
  }
}

export function checkStep(range: StepRange): void {
  checkRange(range);
  if (!Number.isFinite(range.stepMs) || range.stepMs <= 0) {
    throw new HeadroomError(
      ErrorCode.InvalidArgument,
      `[history] invalid stepMs ${range.stepMs}: must be > 0`,
      {
        data: { stepMs: range.stepMs },
      },
    );
  }
}

export function checkMaxPoints(range: DownsampleRange): void {
  checkRange(range);
  if (!Number.isInteger(range.maxPoints) || range.maxPoints < 2) {
    throw new HeadroomError(
      ErrorCode.InvalidArgument,
      `[history] invalid maxPoints ${range.maxPoints}: must be an integer >= 2`,
      { data: { maxPoints: range.maxPoints } },
    );
  }
}
