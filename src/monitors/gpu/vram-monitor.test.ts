import assert from "node:assert/strict";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { isHeadroomError } from "../../errors.js";
import { createRegistry } from "../../metrics/registry.js";
import { findValue } from "../../metrics/snapshot.js";
import { createMemoryVramProvider } from "./memory-vram-provider.js";
import { createVramMonitor, type VramProvider } from "./vram-monitor.js";
import { runVramProviderConformance } from "./vram-provider-conformance.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

runVramProviderConformance("memory provider", async () => {
  const p = createMemoryVramProvider(1024);
  return { provider: p, setUsageMb: (mb) => p.setUsageMb(mb) };
});

test("getVramReport follows the provider and writes the registry", async () => {
  const registry = createRegistry();
  const provider = createMemoryVramProvider(81559);
  const vram = createVramMonitor(provider, registry);
  assert.equal(vram.getVramReport(), undefined);
  provider.setUsageMb(3059);
  await vram.update();
  provider.setUsageMb(10);
  await vram.update();
  assert.deepEqual(vram.getVramReport(), { currentUsageMb: 10, peakUsageMb: 3059, capacityMb: 81559 });
  assert.deepEqual(vram.getUsageReport(), {
    currentBytes: 10 * 2 ** 20,
    peakBytes: 3059 * 2 ** 20,
    totalCapacityBytes: 81559 * 2 ** 20,
  });
  const snap = registry.snapshot();
  assert.equal(findValue(snap, "headroom_vram_used_bytes"), 10 * 2 ** 20);
  assert.equal(findValue(snap, "headroom_vram_capacity_bytes"), 81559 * 2 ** 20);
  assert.equal(findValue(snap, "headroom_vram_provider_available"), 1);
  assert.throws(
    () => provider.setUsageMb(-1),
    (e) => isHeadroomError(e, "HR_INVALID_VALUE"),
  );
});

test("a provider that throws, hangs or returns garbage fails the update and keeps the last report", async () => {
  const registry = createRegistry();
  let mode = "ok";
  const provider: VramProvider = {
    getVramUsageMb: () => {
      if (mode === "throw") throw new Error("device lost");
      return mode === "garbage" ? Number.NaN : 5;
    },
    getVramPeakMb: () => (mode === "garbage-peak" ? ("7" as unknown as number) : 5),
    getVramCapacityMb: () => (mode === "garbage-cap" ? -3 : undefined),
    refresh: () => (mode === "hang" ? new Promise<void>(() => {}) : undefined),
  };
  const vram = createVramMonitor(provider, registry, { timeoutMs: 20 });
  await vram.update();
  const expectations: [string, string][] = [
    ["throw", "HR_UNAVAILABLE"],
    ["hang", "HR_TIMEOUT"],
    ["garbage", "HR_INVALID_VALUE"],
    ["garbage-peak", "HR_INVALID_VALUE"],
    ["garbage-cap", "HR_INVALID_VALUE"],
  ];
  for (const [m, code] of expectations) {
    mode = m;
    await assert.rejects(
      vram.update(),
      (e) => isHeadroomError(e) && e.code === code && /\[gpu:vram\]/.test(e.message),
    );
    assert.deepEqual(vram.getVramReport(), { currentUsageMb: 5, peakUsageMb: 5, capacityMb: undefined });
    assert.equal(findValue(registry.snapshot(), "headroom_vram_provider_available"), 0);
  }
  mode = "ok";
  await vram.update();
  assert.equal(findValue(registry.snapshot(), "headroom_vram_provider_available"), 1);
});

test("the monitor does not keep its provider alive", async () => {
  const registry = createRegistry();
  const vram = (() => createVramMonitor(createMemoryVramProvider(100), registry))();
  for (let i = 0; i < 10 && vram.isProviderAlive(); i++) {
    await new Promise((r) => setImmediate(r));
    gc();
  }
  assert.equal(vram.isProviderAlive(), false);
  await assert.rejects(vram.update(), (e) => isHeadroomError(e, "HR_UNAVAILABLE") && /gone/.test(e.message));
  assert.equal(vram.getVramReport(), undefined);
  assert.equal(findValue(registry.snapshot(), "headroom_vram_provider_available"), 0);
});
