/**
 * `createMemoryMonitor()` for Node: the MemoryMonitor with V8's heap statistics as its heap
 * source and a fresh tracked allocator unless one is given.
 */
import { getHeapStatistics } from "node:v8";
import type { Registry } from "../../metrics/registry.js";
import { type HeapReading, MemoryResourceMonitor } from "./memory-monitor.js";
import { createTrackedAllocator, type TrackedAllocator } from "./tracked-allocator.js";

/** V8's used and committed heap. */
export function readV8Heap(): HeapReading {
  const s = getHeapStatistics();
  return { usedHeapSize: s.used_heap_size, totalHeapSize: s.total_heap_size };
}

export interface NodeMemoryMonitorOptions {
  id?: string;
  allocator?: TrackedAllocator;
  heap?: () => HeapReading;
}

/** One per registry (its metric names are fixed). */
export function createMemoryMonitor(
  registry: Registry,
  options: NodeMemoryMonitorOptions = {},
): MemoryResourceMonitor {
  return new MemoryResourceMonitor(registry, {
    id: options.id,
    allocator: options.allocator ?? createTrackedAllocator(),
    heap: options.heap ?? readV8Heap,
  });
}
