/**
 * The seed's ResourceHandle: the cheap token `recordUsage` takes. `release()` (or `using`)
 * says the code is done with it; a handle garbage-collected without that is reported as a
 * leaked handle (best effort: FinalizationRegistry callbacks run only after a major GC, maybe
 * never before the process exits).
 */

import type { Threshold } from "./threshold.js";
import type { UsageWindow } from "./usage-window.js";

/** Per-resource state shared by every handle to the resource. Internal to the tracker. */
export interface ResourceEntry {
  readonly name: string;
  readonly type: string;
  readonly sharedId: number;
  readonly gauge: { set(v: number): void };
  readonly history: { append(t: number, v: number): boolean } | undefined;
  readonly window: UsageWindow;
  min: number;
  max: number;
  sum: number;
  count: number;
  current: number;
  lastUpdated: number | undefined;
  thresholds: Threshold[];
  /** False once untracked; handles to it then record nothing. */
  live: boolean;
}

export class ResourceHandle {
  readonly name: string;
  readonly type: string;
  /** @internal The tracker's state for this resource; undefined after release(). */
  entry: ResourceEntry | undefined;
  readonly #onRelease: (h: ResourceHandle) => void;

  /** @internal Created by `ResourceTracker.track`. */
  constructor(entry: ResourceEntry, onRelease: (h: ResourceHandle) => void) {
    this.name = entry.name;
    this.type = entry.type;
    this.entry = entry;
    this.#onRelease = onRelease;
  }

  /** True until released or until the resource is untracked. */
  get active(): boolean {
    return this.entry?.live === true;
  }

  /** Ends this handle's use; the resource stays tracked (use `untrack` to drop it). Idempotent. */
  release(): void {
    if (this.entry === undefined) return;
    this.entry = undefined;
    this.#onRelease(this);
  }

  [Symbol.dispose](): void {
    this.release();
  }
}
