/**
 * Label-less metrics that enter the registry only when their first value is known. A
 * label-less gauge or counter registered up front reads 0 until set, which for "load average",
 * "CPU usage" (two samples needed) or "temperature" (no sensor on this host) would be a wrong
 * number rather than no number.
 */
import type { Counter } from "../../metrics/counter.js";
import type { Gauge } from "../../metrics/gauge.js";
import type { Registry } from "../../metrics/registry.js";

interface Options {
  name: string;
  help: string;
  unit?: string;
}

export class LazyGauge {
  readonly #registry: Registry;
  readonly #options: Options;
  #gauge: Gauge | undefined;

  constructor(registry: Registry, options: Options) {
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

export class LazyCounter {
  readonly #registry: Registry;
  readonly #options: Options;
  #counter: Counter | undefined;

  constructor(registry: Registry, options: Options) {
    this.#registry = registry;
    this.#options = options;
  }

  /** Mirrors a cumulative total read from the kernel (a lower value counts as a reset). */
  setTotal(total: number): void {
    this.#counter ??= this.#registry.counter(this.#options);
    this.#counter.setTotal(total);
  }
}
