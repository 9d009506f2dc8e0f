/**
 * The live stream's fan-out: after each tick the agent publishes the scalar series of the new
 * snapshot to every subscriber (the SSE endpoint). Keys are history's `seriesKey`, cached per
 * frozen labels object, so a steady tick builds no strings.
 */
import { seriesKey } from "../history/series.js";
import type { Labels, MetricsSnapshot } from "../metrics/snapshot.js";
import type { LiveSample } from "../server/sources.js";

export class LiveFeed {
  readonly #listeners = new Set<(sample: LiveSample) => void>();
  readonly #keys = new WeakMap<Labels, Map<string, string>>();

  get size(): number {
    return this.#listeners.size;
  }

  subscribe(listener: (sample: LiveSample) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #key(name: string, labels: Labels): string {
    let byName = this.#keys.get(labels);
    if (!byName) {
      byName = new Map();
      this.#keys.set(labels, byName);
    }
    let key = byName.get(name);
    if (key === undefined) {
      key = seriesKey(name, labels);
      byName.set(name, key);
    }
    return key;
  }

  /** Builds the sample only when someone listens; a listener that throws is dropped. */
  publish(snapshot: MetricsSnapshot): void {
    if (this.#listeners.size === 0) return;
    const values: [string, number][] = [];
    for (const f of snapshot.families) {
      if (f.type !== "counter" && f.type !== "gauge") continue;
      for (const s of f.series)
        if (Number.isFinite(s.value)) values.push([this.#key(f.name, s.labels), s.value]);
    }
    const sample: LiveSample = { t: snapshot.timestampMs, values };
    for (const l of this.#listeners) {
      try {
        l(sample);
      } catch {
        this.#listeners.delete(l);
      }
    }
  }
}
