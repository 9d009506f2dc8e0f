// The seed's integration examples, written against Headroom: a timeline whose events track
// their own resource, and a pool reporting usage through a callback.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ResourceHandle } from "./resource-handle.js";
import { ResourceTracker } from "./resource-tracker.js";

class Timeline {
  readonly #events: { name: string; fn: () => void }[] = [];
  addEvent(name: string, fn: () => void): void {
    this.#events.push({ name, fn });
  }
  run(): string[] {
    return this.#events.map((e) => {
      e.fn();
      return e.name;
    });
  }
}

class ResourcePool {
  #callback: ((resource: string, usage: number) => void) | undefined;
  readonly #used = new Map<string, number>();
  constructor(readonly kinds: readonly string[]) {}
  setUsageCallback(cb: (resource: string, usage: number) => void): void {
    this.#callback = cb;
  }
  acquire(kind: string, amount: number): void {
    const v = (this.#used.get(kind) ?? 0) + amount;
    this.#used.set(kind, v);
    this.#callback?.(kind, v);
  }
}

test("timeline events track the resource they use", () => {
  const tracker = new ResourceTracker({ now: () => 1000 });
  const timeline = new Timeline();
  timeline.addEvent("process_data", () => {
    using handle = tracker.track("data_processing", "cpu");
    tracker.recordUsage(handle, 100);
    // process data...
    tracker.recordUsage(handle, 0);
  });
  assert.deepEqual(timeline.run(), ["process_data"]);
  const s = tracker.getStats("data_processing");
  assert.equal(s.max, 100);
  assert.equal(s.current, 0);
  assert.equal(s.count, 2);
});

test("a pool usage callback feeds one tracked resource per pool kind", () => {
  const tracker = new ResourceTracker({ now: () => 1000 });
  const pool = new ResourcePool(["cpu", "gpu", "memory"]);
  const handles = new Map<string, ResourceHandle>();
  pool.setUsageCallback((resource, usage) => {
    let h = handles.get(resource);
    if (!h) {
      h = tracker.track(`pool_${resource}`, resource);
      handles.set(resource, h);
    }
    tracker.recordUsage(h, usage);
  });
  pool.acquire("gpu", 2);
  pool.acquire("gpu", 3);
  pool.acquire("memory", 512);
  assert.deepEqual(tracker.trackedResources().sort(), ["pool_gpu", "pool_memory"]);
  assert.equal(tracker.getStats("pool_gpu").current, 5);
  assert.equal(tracker.getStats("pool_memory").type, "memory");
});
