/**
 * The reference Exporter: keeps what it is given in memory. For tests, for the conformance
 * suite, and for embedding (a caller that wants the batches the agent would send).
 */
import type { MetricsSnapshot } from "../metrics/snapshot.js";
import type { Exporter } from "./exporter.js";
import { PushExporter, type PushExporterOptions } from "./push-exporter.js";

export interface MemoryExporter extends Exporter {
  /** Every batch the exporter "sent", oldest first. */
  readonly batches: readonly (readonly MetricsSnapshot[])[];
}

export function createMemoryExporter(
  options: Omit<PushExporterOptions, "transport" | "type" | "name"> & { name?: string } = {},
): MemoryExporter {
  const batches: MetricsSnapshot[][] = [];
  const inner = new PushExporter({
    ...options,
    name: options.name ?? "memory",
    type: "memory",
    transport: async (batch) => {
      batches.push([...batch]);
      return { kind: "ok" };
    },
  });
  return {
    name: inner.name,
    type: inner.type,
    batches,
    push: (s) => inner.push(s),
    flush: () => inner.flush(),
    close: () => inner.close(),
    stats: () => inner.stats(),
  };
}
