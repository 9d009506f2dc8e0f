/**
 * The one conformance suite every Exporter runs (the memory exporter and each destination
 * type, see conformance.test.ts): what `exporter.ts` promises, checked from the outside.
 * A harness builds a fresh exporter and reads back what reached its destination.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { MetricsSnapshot } from "../metrics/snapshot.js";
import type { Exporter } from "./exporter.js";

/** One sample as the destination received it. */
export interface DeliveredSample {
  readonly name: string;
  readonly value: number;
  readonly timestampMs: number;
}

export interface ExporterHarness {
  /** A fresh exporter with these settings and no timed flush. */
  make(settings: { batchSize: number }): Promise<Exporter>;
  /** What reached the destination since `make`, one array per request. */
  delivered(): Promise<DeliveredSample[][]>;
  cleanup(): Promise<void>;
}

function gauges(timestampMs: number, n: number, offset: number): MetricsSnapshot {
  return {
    timestampMs,
    families: [
      {
        name: "conformance_gauge",
        type: "gauge",
        help: "Conformance gauge.",
        unit: "",
        labelNames: ["i"],
        series: Array.from({ length: n }, (_, i) => ({ labels: { i: String(i) }, value: offset + i })),
      },
    ],
  };
}

async function until(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function runExporterConformance(label: string, harness: () => ExporterHarness): void {
  const withExporter = async (
    batchSize: number,
    body: (e: Exporter, h: ExporterHarness) => Promise<void>,
  ) => {
    const h = harness();
    const e = await h.make({ batchSize });
    try {
      await body(e, h);
    } finally {
      await e.close();
      await h.cleanup();
    }
  };

  test(`${label}: push then flush delivers every sample once, in order, at its snapshot's time`, () =>
    withExporter(50, async (e, h) => {
      const t0 = Date.UTC(2026, 10, 22, 10);
      for (let k = 0; k < 4; k++) e.push(gauges(t0 + k * 1000, 30, k * 100));
      await e.flush();
      const all = (await h.delivered()).flat();
      assert.equal(all.length, 120);
      const expected = [0, 1, 2, 3].flatMap((k) =>
        Array.from({ length: 30 }, (_, i) => ({
          name: "conformance_gauge",
          value: k * 100 + i,
          timestampMs: t0 + k * 1000,
        })),
      );
      assert.deepEqual(all, expected);
      const stats = e.stats();
      assert.equal(stats.sent, 120);
      assert.equal(stats.queuedSamples, 0);
      assert.equal(stats.failed + stats.dropped, 0);
      assert.ok(stats.lastSuccessMs > 0);
    }));

  test(`${label}: no request carries more than batchSize samples`, () =>
    withExporter(7, async (e, h) => {
      e.push(gauges(Date.UTC(2026, 10, 22), 40, 0));
      await e.flush();
      const requests = await h.delivered();
      assert.equal(requests.flat().length, 40);
      for (const r of requests) assert.ok(r.length <= 7, `request of ${r.length}`);
    }));

  test(`${label}: a full batch is sent without waiting for flush()`, () =>
    withExporter(10, async (e, h) => {
      e.push(gauges(Date.UTC(2026, 10, 22), 10, 0));
      await until(async () => (await h.delivered()).flat().length === 10);
    }));

  test(`${label}: push never throws; close is idempotent; a push after close is counted, not sent`, () =>
    withExporter(10, async (e, h) => {
      e.push({ timestampMs: Date.UTC(2026, 10, 22), families: [] });
      e.push(gauges(Date.UTC(2026, 10, 22), 3, 0));
      await e.close();
      await e.close();
      e.push(gauges(Date.UTC(2026, 10, 22, 1), 3, 0));
      assert.equal((await h.delivered()).flat().length, 3, "close sends what was queued");
      assert.equal(e.stats().dropped, 3);
      await e.flush();
    }));
}
