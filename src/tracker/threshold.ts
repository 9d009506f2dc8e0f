/**
 * One threshold on one resource: a two-state machine (armed, fired) with hysteresis and a
 * cooldown. It fires when an armed value crosses the threshold, re-arms only once the value is
 * back past the hysteresis band, and never calls back twice within the cooldown.
 */
import type { Alert, ThresholdDirection, ThresholdOptions } from "./types.js";

export class Threshold {
  readonly threshold: number;
  readonly direction: ThresholdDirection;
  readonly #hysteresis: number;
  readonly #cooldownMs: number;
  readonly #callback: (alert: Alert) => void;
  #armed = true;
  #lastFired = Number.NEGATIVE_INFINITY;
  /** Callbacks that threw; counted so recordUsage never throws. */
  failures = 0;

  constructor(threshold: number, callback: (alert: Alert) => void, options: ThresholdOptions = {}) {
    this.threshold = threshold;
    this.direction = options.direction ?? "above";
    this.#hysteresis = options.hysteresis ?? 0;
    this.#cooldownMs = options.cooldownMs ?? 60_000;
    this.#callback = callback;
  }

  check(name: string, value: number, t: number): void {
    const above = this.direction === "above";
    const crossed = above ? value > this.threshold : value < this.threshold;
    if (!this.#armed) {
      const back = above
        ? value <= this.threshold - this.#hysteresis
        : value >= this.threshold + this.#hysteresis;
      if (back) this.#armed = true;
      return;
    }
    if (!crossed) return;
    this.#armed = false;
    if (t - this.#lastFired < this.#cooldownMs) return;
    this.#lastFired = t;
    try {
      this.#callback({
        resourceName: name,
        threshold: this.threshold,
        currentValue: value,
        timestamp: t,
        direction: this.direction,
        message: `${name} is ${value} (${this.direction} threshold ${this.threshold})`,
      });
    } catch {
      this.failures++;
    }
  }
}
