/**
 * The reference VramProvider: numbers set by the application (a renderer that counts its own
 * texture and buffer allocations, or a test). Tracks its own peak. No `node:` import.
 */
import { ErrorCode, HeadroomError } from "../../errors.js";
import type { VramProvider } from "./vram-monitor.js";

export interface MemoryVramProvider extends VramProvider {
  /** Sets current use in MB. Throws HR_INVALID_VALUE for a negative or non-finite value. */
  setUsageMb(mb: number): void;
  /** Drops the peak to the current use. */
  resetPeak(): void;
}

export function createMemoryVramProvider(capacityMb?: number): MemoryVramProvider {
  let used = 0;
  let peak = 0;
  return {
    getVramUsageMb: () => used,
    getVramPeakMb: () => peak,
    getVramCapacityMb: () => capacityMb,
    setUsageMb(mb: number) {
      if (!(Number.isFinite(mb) && mb >= 0)) {
        throw new HeadroomError(
          ErrorCode.InvalidValue,
          `[gpu:vram] usage must be a non-negative number, got ${mb}`,
        );
      }
      used = mb;
      if (used > peak) peak = used;
    },
    resetPeak() {
      peak = used;
    },
  };
}
