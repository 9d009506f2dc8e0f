/**
 * Timer: a scope that observes its own duration, in seconds, into a histogram.
 *
 *   { using scope = timer.start({ route: "/" }); await handle(); }   // observed at scope exit
 *
 * Starting a timer reads the clock (that is its job); everything else is the histogram's hot path.
 */
import type { Histogram, HistogramHandle } from "./histogram.js";
import type { LabelValues } from "./metric-base.js";

export class TimerScope implements Disposable {
  readonly #target: { observe(value: number): void };
  readonly #start = performance.now();
  #stopped = false;

  constructor(target: { observe(value: number): void }) {
    this.#target = target;
  }

  /** Observes the elapsed seconds once and returns them; later calls return the same without observing. */
  stop(): number {
    const seconds = (performance.now() - this.#start) / 1000;
    if (!this.#stopped) {
      this.#stopped = true;
      this.#target.observe(seconds);
    }
    return seconds;
  }

  [Symbol.dispose](): void {
    this.stop();
  }
}

export class Timer<L extends string = never> {
  readonly histogram: Histogram<L>;

  constructor(histogram: Histogram<L>) {
    this.histogram = histogram;
  }

  get name(): string {
    return this.histogram.name;
  }

  /** Starts timing a scope. With labels, the series is resolved now (a typed error if they are wrong). */
  start(labels?: LabelValues<L>): TimerScope {
    const target: HistogramHandle | Histogram<L> = labels ? this.histogram.labels(labels) : this.histogram;
    return new TimerScope(target as { observe(value: number): void });
  }

  /** Times a function (sync or async) and returns its result. */
  async time<T>(fn: () => T | Promise<T>, labels?: LabelValues<L>): Promise<T> {
    using _scope = this.start(labels);
    return await fn();
  }
}
