import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gaugeSnapshot, nonFiniteSnapshot, T0 } from "../../test/fixtures/exporters/snapshots.js";
import { createRegistry } from "../metrics/registry.js";
import type { MetricsSnapshot } from "../metrics/snapshot.js";
import { findValue } from "../metrics/snapshot.js";
import { PushExporter, type TransportResult } from "./push-exporter.js";

type Script = (batch: readonly MetricsSnapshot[], call: number) => TransportResult | Promise<TransportResult>;

function scripted(script: Script, extra: Partial<ConstructorParameters<typeof PushExporter>[0]> = {}) {
  const calls: MetricsSnapshot[][] = [];
  const exporter = new PushExporter({
    name: "t",
    type: "test",
    batchSize: 10,
    flushIntervalMs: 0,
    backoff: { minMs: 5, maxMs: 20 },
    ...extra,
    transport: async (batch) => {
      calls.push([...batch]);
      return script(batch, calls.length - 1);
    },
  });
  return { exporter, calls };
}

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

test("a retryable failure keeps the batch and resends the same snapshot after backoff", async () => {
  const { exporter, calls } = scripted((_, call) =>
    call < 3 ? { kind: "retry", reason: "503" } : { kind: "ok" },
  );
  exporter.push(gaugeSnapshot(T0, 5));
  await exporter.flush();
  assert.equal(exporter.stats().retries, 1);
  assert.equal(exporter.stats().lastError, "503");
  await until(() => exporter.stats().sent === 5);
  assert.equal(calls.length, 4);
  for (const c of calls) assert.deepEqual(c, calls[0], "the very same snapshot (same timestamps) each time");
  assert.equal(exporter.stats().retries, 3);
  assert.equal(exporter.stats().lastError, undefined);
  await exporter.close();
});

test("Retry-After is honoured instead of the backoff", async () => {
  let t = 1000;
  const { exporter, calls } = scripted(
    (_, call) => (call === 0 ? { kind: "retry", reason: "429", retryAfterMs: 60_000 } : { kind: "ok" }),
    { now: () => t },
  );
  exporter.push(gaugeSnapshot(T0, 5));
  await exporter.flush();
  await exporter.flush();
  assert.equal(calls.length, 1, "no send before Retry-After passed");
  t += 60_000;
  await exporter.flush();
  assert.equal(calls.length, 2);
  assert.equal(exporter.stats().sent, 5);
  await exporter.close();
});

test("a 400-style rejection drops and counts the batch and goes on with the next", async () => {
  const { exporter, calls } = scripted((batch) =>
    batch[0].timestampMs === T0 ? { kind: "reject", reason: "400 bad" } : { kind: "ok" },
  );
  exporter.push(gaugeSnapshot(T0, 10));
  exporter.push(gaugeSnapshot(T0 + 1, 10));
  await exporter.flush();
  assert.equal(calls.length, 2);
  assert.deepEqual(
    { failed: exporter.stats().failed, sent: exporter.stats().sent, retries: exporter.stats().retries },
    { failed: 10, sent: 10, retries: 0 },
  );
  await exporter.close();
});

test("a transport that throws counts as retryable", async () => {
  const { exporter } = scripted((_, call) => {
    if (call === 0) throw new Error("socket hang up");
    return { kind: "ok" };
  });
  exporter.push(gaugeSnapshot(T0, 3));
  await exporter.flush();
  assert.equal(exporter.stats().lastError, "socket hang up");
  await until(() => exporter.stats().sent === 3);
  await exporter.close();
});

test("filling the bound during an outage drops the oldest samples and counts them in the registry", async () => {
  const registry = createRegistry();
  let up = false;
  const { exporter, calls } = scripted(() => (up ? { kind: "ok" } : { kind: "retry", reason: "down" }), {
    registry,
    maxQueueSamples: 30,
    backoff: { minMs: 60_000 },
  });
  for (let k = 0; k < 5; k++) exporter.push(gaugeSnapshot(T0 + k, 10));
  await exporter.flush();
  const snap = registry.snapshot();
  assert.equal(exporter.stats().dropped, 20);
  assert.equal(
    findValue(snap, "headroom_exporter_samples_dropped_total", { exporter: "t", reason: "queue_full" }),
    20,
  );
  assert.equal(findValue(snap, "headroom_exporter_queue_samples", { exporter: "t" }), 30);
  assert.ok((findValue(snap, "headroom_exporter_retries_total", { exporter: "t" }) ?? 0) >= 1);
  up = true;
  await exporter.close();
  const sentTimes = calls.slice(-3).map((c) => c[0].timestampMs);
  // The first push filled a batch and started a send at once; a piece in flight is never
  // dropped, so the oldest queued ones behind it made room.
  assert.deepEqual(sentTimes, [T0, T0 + 3, T0 + 4], "the newest samples survive, in order");
  const after = registry.snapshot();
  assert.equal(findValue(after, "headroom_exporter_samples_sent_total", { exporter: "t" }), 30);
  assert.equal(findValue(after, "headroom_exporter_queue_samples", { exporter: "t" }), 0);
  assert.ok(
    (findValue(after, "headroom_exporter_last_success_timestamp_seconds", { exporter: "t" }) ?? 0) > 0,
  );
});

test("samples the protocol cannot carry are counted as dropped, not sent", async () => {
  const registry = createRegistry();
  const { exporter } = scripted(() => ({ kind: "ok", skipped: 3 }), { registry });
  exporter.push(nonFiniteSnapshot);
  await exporter.flush();
  assert.deepEqual([exporter.stats().sent, exporter.stats().dropped], [1, 3]);
  assert.equal(
    findValue(registry.snapshot(), "headroom_exporter_samples_dropped_total", {
      exporter: "t",
      reason: "unencodable",
    }),
    3,
  );
  await exporter.close();
});

test("two exporters share one registry's self-metrics, told apart by the exporter label", async () => {
  const registry = createRegistry();
  const a = new PushExporter({
    name: "a",
    type: "x",
    registry,
    flushIntervalMs: 0,
    transport: async () => ({ kind: "ok" }),
  });
  const b = new PushExporter({
    name: "b",
    type: "x",
    registry,
    flushIntervalMs: 0,
    transport: async () => ({ kind: "ok" }),
  });
  a.push(gaugeSnapshot(T0, 2));
  b.push(gaugeSnapshot(T0, 3));
  await Promise.all([a.flush(), b.flush()]);
  const snap = registry.snapshot();
  assert.equal(findValue(snap, "headroom_exporter_samples_sent_total", { exporter: "a" }), 2);
  assert.equal(findValue(snap, "headroom_exporter_samples_sent_total", { exporter: "b" }), 3);
  await Promise.all([a.close(), b.close()]);
});

test("with a spool, samples queued during an outage survive a restart and are sent once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "headroom-exporter-spool-"));
  try {
    const down = scripted(() => ({ kind: "retry", reason: "down" }), {
      spoolDir: dir,
      backoff: { minMs: 60_000 },
    });
    for (let k = 0; k < 3; k++) down.exporter.push(gaugeSnapshot(T0 + k, 4));
    await down.exporter.close();
    assert.equal(down.exporter.stats().queuedSamples, 12);
    const up = scripted(() => ({ kind: "ok" }), { spoolDir: dir });
    assert.equal(up.exporter.stats().queuedSamples, 12);
    await up.exporter.flush();
    assert.deepEqual(
      up.calls.flat().map((s) => s.timestampMs),
      [T0, T0 + 1, T0 + 2],
    );
    await up.exporter.close();
    const third = scripted(() => ({ kind: "ok" }), { spoolDir: dir });
    assert.equal(third.exporter.stats().queuedSamples, 0, "nothing is sent twice after another restart");
    await third.exporter.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the flush interval sends without being asked", async () => {
  const { exporter, calls } = scripted(() => ({ kind: "ok" }), { flushIntervalMs: 20, batchSize: 1000 });
  exporter.push(gaugeSnapshot(T0, 3));
  await until(() => calls.length === 1);
  await exporter.close();
});
