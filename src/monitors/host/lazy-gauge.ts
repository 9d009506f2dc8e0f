/**
 * A label-less gauge that enters the registry only when its first value is known. A label-less
 * gauge registered up front reads 0 until set, which for "CPU usage" (two samples needed) or
 * "temperature" (no sensor on this host) would be a wrong number rather than no number.
 */
import type { Gauge } from "../../metrics/gauge.js";
import type { Registry } from "../../metrics/registry.js";

export class LazyGauge {
  readonly #registry: Registry;
  readonly #options: { name: string; help: string; unit?: string };
  #gauge: Gauge | undefined;

  constructor(registry: Registry, options: { name: string; help: string; unit?: string }) {
    this.#registry = registry;
    this.#options = options;
  }

  set(value: number): void {
    this.#gauge ??= this.#registry.gauge(this.#options);
    this.#gauge.set(value);
  }

  /** The last value set, or undefined before the first. */
  get(): number | undefined {
    return this.#gauge?.get();
  }
}
