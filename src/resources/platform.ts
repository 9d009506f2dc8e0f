/**
 * Platform-scaled default budgets (seed 004, "Platform Adaptation"). The manager never reads
 * the machine itself (this directory runs in browsers and workers too): the caller passes the
 * effective memory, which the agent takes from the cgroup limit when running in a container
 * and from total memory otherwise.
 *
 * The split is the seed's: Memory gets 60% of effective memory with 10% of it reserved,
 * Hardware 20% with 5% reserved. Presets change the pressure thresholds and how large pools
 * start; with no preset one is picked from the memory size.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { ResourceBudget } from "./budget.js";
import { ResourceType } from "./types.js";

export const PlatformPreset = {
  /** Tens to hundreds of MiB: warn early, small pools. */
  Embedded: "embedded",
  Desktop: "desktop",
  /** Large hosts: pressure later, larger pools. */
  Server: "server",
} as const;

export type PlatformPreset = (typeof PlatformPreset)[keyof typeof PlatformPreset];

export interface PlatformOptions {
  /** Effective memory in bytes (the cgroup limit in a container, else total memory). */
  readonly effectiveMemoryBytes: number;
  /** Picked from `effectiveMemoryBytes` when omitted (< 1 GiB embedded, < 32 GiB desktop, else server). */
  readonly preset?: PlatformPreset;
}

interface PresetShape {
  readonly warningPercent: number;
  readonly criticalPercent: number;
  /** Multiplies pool initial counts (`scalePoolCount`). */
  readonly poolScale: number;
}

const presets: Record<PlatformPreset, PresetShape> = {
  embedded: { warningPercent: 70, criticalPercent: 85, poolScale: 0.25 },
  desktop: { warningPercent: 75, criticalPercent: 90, poolScale: 1 },
  server: { warningPercent: 80, criticalPercent: 95, poolScale: 4 },
};

const GiB = 1024 ** 3;

export function pickPreset(effectiveMemoryBytes: number): PlatformPreset {
  if (effectiveMemoryBytes < GiB) return PlatformPreset.Embedded;
  if (effectiveMemoryBytes < 32 * GiB) return PlatformPreset.Desktop;
  return PlatformPreset.Server;
}

/** The default budgets for a platform, keyed by type. Throws on a non-positive memory size or an unknown preset. */
export function platformBudgets(platform: PlatformOptions): Map<ResourceType, ResourceBudget> {
  const memory = platform?.effectiveMemoryBytes;
  if (!Number.isSafeInteger(memory) || memory <= 0) {
    throw new HeadroomError(
      ErrorCode.InvalidArgument,
      `[resources:platform] effectiveMemoryBytes ${String(memory)} must be a positive integer`,
      { data: { platform } },
    );
  }
  const preset = platform.preset ?? pickPreset(memory);
  const shape = presets[preset];
  if (shape === undefined) {
    throw new HeadroomError(
      ErrorCode.InvalidArgument,
      `[resources:platform] unknown preset "${String(preset)}"`,
      {
        data: { platform },
      },
    );
  }
  const budget = (share: number, reserve: number): ResourceBudget => ({
    maxBytes: Math.max(1, Math.floor(memory * share)),
    reservedBytes: Math.floor(memory * reserve),
    warningPercent: shape.warningPercent,
    criticalPercent: shape.criticalPercent,
  });
  return new Map([
    [ResourceType.Memory, budget(0.6, 0.1)],
    [ResourceType.Hardware, budget(0.2, 0.05)],
  ]);
}

/** A pool's initial block count scaled for the preset (at least 1 when `count` is positive). */
export function scalePoolCount(count: number, preset: PlatformPreset): number {
  if (count <= 0) return 0;
  return Math.max(1, Math.round(count * (presets[preset]?.poolScale ?? 1)));
}
