/**
 * The agent's resource view: a ResourceTracker and a ResourceManager (budgets from the effective
 * memory: this process's cgroup limit when one is set, else the host's), host pressure fed from
 * each tick's snapshot, and the plain JSON `GET /api/v1/resources` serves.
 */
import { totalmem } from "node:os";
import type { Registry } from "../metrics/registry.js";
import type { MetricsSnapshot } from "../metrics/snapshot.js";
import { readEffectiveLimits } from "../monitors/containers/cgroup-stats.js";
import { cgroupTargetForPid } from "../monitors/containers/cgroup-target.js";
import { createHostPressureFeed } from "../resources/host-pressure.js";
import { createResourceManager, type ResourceManager } from "../resources/resource-manager.js";
import { pressureName } from "../resources/types.js";
import { ResourceTracker } from "../tracker/resource-tracker.js";

/** The cgroup memory limit of this process, or undefined when none is set or none can be read. */
export function cgroupMemoryLimit(): number | undefined {
  try {
    const limit = readEffectiveLimits(cgroupTargetForPid("self").dirs).memoryBytes;
    return limit !== undefined && Number.isFinite(limit) && limit > 0 ? limit : undefined;
  } catch {
    return undefined;
  }
}

/** Memory the budgets divide: the cgroup limit when tighter than the host, else the host's total. */
export function effectiveMemoryBytes(): number {
  const host = totalmem();
  const limit = cgroupMemoryLimit();
  return limit !== undefined && limit < host ? limit : host;
}

export interface AgentResources {
  readonly manager: ResourceManager;
  readonly tracker: ResourceTracker;
  /** Called after each tick with its snapshot; feeds the host pressure level to the manager. */
  update(snapshot: MetricsSnapshot): void;
  /** Plain data for `GET /api/v1/resources`. */
  report(): unknown;
  /** Disposes the manager when the agent created it. */
  close(): void;
}

export function createAgentResources(
  registry: Registry,
  given: { manager?: ResourceManager; tracker?: ResourceTracker } = {},
): AgentResources {
  const manager =
    given.manager ??
    createResourceManager({ platform: { effectiveMemoryBytes: effectiveMemoryBytes() }, registry });
  const tracker = given.tracker ?? new ResourceTracker({ registry });
  const feed = createHostPressureFeed(manager);
  return {
    manager,
    tracker,
    update: (snapshot) => {
      feed.update(snapshot);
    },
    report: () => {
      const r = manager.report();
      return {
        ...r,
        budgets: r.budgets.map((b) => ({ ...b, pressureLevel: pressureName(b.pressure) })),
        tracked: tracker.trackedResources().map((name) => tracker.getStats(name)),
      };
    },
    close: () => {
      if (!given.manager) manager.dispose();
    },
  };
}
