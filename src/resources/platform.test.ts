import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ErrorCode, isHeadroomError } from "../errors.js";
import { PlatformPreset, pickPreset, platformBudgets, scalePoolCount } from "./platform.js";
import { createResourceManager } from "./resource-manager.js";
import { ResourceType } from "./types.js";

const MiB = 1024 * 1024;

describe("platform-scaled budgets", () => {
  it("splits 16 MiB the way the seed does: memory 60% with 10% reserved, hardware 20% with 5%", () => {
    const budgets = platformBudgets({ effectiveMemoryBytes: 16 * MiB });
    const memory = budgets.get(ResourceType.Memory)!;
    const hardware = budgets.get(ResourceType.Hardware)!;
    assert.equal(memory.maxBytes, Math.floor(16 * MiB * 0.6));
    assert.equal(memory.reservedBytes, Math.floor(1.6 * MiB));
    assert.equal(hardware.maxBytes, Math.floor(3.2 * MiB));
    assert.equal(hardware.reservedBytes, Math.floor(0.8 * MiB));
    assert.equal(memory.warningPercent, 70); // embedded preset for 16 MiB
  });

  it("picks presets by size and honours an explicit one", () => {
    assert.equal(pickPreset(16 * MiB), PlatformPreset.Embedded);
    assert.equal(pickPreset(8 * 1024 * MiB), PlatformPreset.Desktop);
    assert.equal(pickPreset(64 * 1024 * MiB), PlatformPreset.Server);
    const server = platformBudgets({ effectiveMemoryBytes: 16 * MiB, preset: PlatformPreset.Server });
    assert.equal(server.get(ResourceType.Memory)?.criticalPercent, 95);
    assert.equal(scalePoolCount(10, PlatformPreset.Embedded), 3);
    assert.equal(scalePoolCount(1, PlatformPreset.Embedded), 1);
    assert.equal(scalePoolCount(10, PlatformPreset.Server), 40);
    assert.equal(scalePoolCount(0, PlatformPreset.Server), 0);
  });

  it("a manager created with a platform applies the budgets", () => {
    const m = createResourceManager({ platform: { effectiveMemoryBytes: 2 * 1024 * MiB } });
    const stats = m.getResourceStats(ResourceType.Memory)!;
    assert.equal(stats.maxBytes, Math.floor(2 * 1024 * MiB * 0.6));
    assert.equal(m.report().budgets.length, 2);
  });

  it("rejects a non-positive memory size or an unknown preset", () => {
    for (const platform of [
      { effectiveMemoryBytes: 0 },
      { effectiveMemoryBytes: -1 },
      { effectiveMemoryBytes: Number.NaN },
      { effectiveMemoryBytes: 1024, preset: "mainframe" },
    ]) {
      assert.throws(
        () => createResourceManager({ platform: platform as never }),
        (err) =>
          isHeadroomError(err, ErrorCode.InvalidArgument) && err.message.startsWith("[resources:platform]"),
      );
    }
  });
});
