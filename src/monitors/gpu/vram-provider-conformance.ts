/**
 * The one conformance suite every VramProvider runs (the memory provider, the NVIDIA provider
 * over its fallback path, any renderer's own). `setUsageMb` drives the provider to a known
 * level when it can be driven; providers over real hardware pass undefined and are checked
 * for shape only.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { VramProvider } from "./vram-monitor.js";

export interface VramProviderUnderTest {
  provider: VramProvider;
  setUsageMb?: (mb: number) => void | Promise<void>;
  close?: () => void | Promise<void>;
}

export function runVramProviderConformance(name: string, make: () => Promise<VramProviderUnderTest>): void {
  test(`${name}: readings are non-negative numbers, peak >= current <= capacity`, async () => {
    const { provider, close } = await make();
    try {
      await provider.refresh?.();
      const used = provider.getVramUsageMb();
      const peak = provider.getVramPeakMb();
      const cap = provider.getVramCapacityMb();
      assert.ok(Number.isFinite(used) && used >= 0, `usage ${used}`);
      assert.ok(Number.isFinite(peak) && peak >= used, `peak ${peak} >= usage ${used}`);
      if (cap !== undefined) assert.ok(Number.isFinite(cap) && cap >= used, `capacity ${cap}`);
    } finally {
      await close?.();
    }
  });

  test(`${name}: the peak follows usage up and stays when usage drops`, async (t) => {
    const { provider, setUsageMb, close } = await make();
    try {
      if (setUsageMb === undefined) {
        t.diagnostic("provider cannot be driven; shape checked only");
        return;
      }
      await setUsageMb(100);
      await provider.refresh?.();
      assert.equal(provider.getVramUsageMb(), 100);
      await setUsageMb(40);
      await provider.refresh?.();
      assert.equal(provider.getVramUsageMb(), 40);
      assert.ok(provider.getVramPeakMb() >= 100);
    } finally {
      await close?.();
    }
  });
}
