/**
 * GC pauses by kind into prom-client's `nodejs_gc_duration_seconds{kind}` histogram, observed
 * as V8 reports them (a PerformanceObserver on "gc" entries), not polled.
 */
import { constants, PerformanceObserver } from "node:perf_hooks";
import type { Histogram } from "../../metrics/histogram.js";
import type { Registry } from "../../metrics/registry.js";

const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [constants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};

/** prom-client's buckets, so existing dashboards' bucket queries keep working. */
export const GC_BUCKETS = [0.001, 0.01, 0.1, 1, 2, 5];

export function gcKind(kind: number | undefined): string {
  return (kind !== undefined && KINDS[kind]) || "unknown";
}

export class GcObserver {
  readonly histogram: Histogram<"kind">;
  readonly #observer: PerformanceObserver;

  constructor(registry: Registry) {
    const h = registry.histogram({
      name: "nodejs_gc_duration_seconds",
      help: "Garbage collection duration by kind, one of major, minor, incremental or weakcb.",
      labelNames: ["kind"],
      buckets: GC_BUCKETS,
    });
    this.histogram = h;
    this.#observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const detail = (entry as { detail?: { kind?: number } }).detail;
        h.observe({ kind: gcKind(detail?.kind) }, entry.duration / 1000);
      }
    });
    this.#observer.observe({ entryTypes: ["gc"] });
  }

  close(): void {
    this.#observer.disconnect();
  }
}
