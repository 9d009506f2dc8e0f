import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ErrorCode } from "../errors.js";
import { createResourceManager } from "./resource-manager.js";
import {
  AcquisitionMode,
  ResourceFlags,
  type ResourceMetadata,
  ResourcePressure,
  ResourcePriority,
  ResourceType,
} from "./types.js";

const mem = (sizeBytes: number, extra: Partial<ResourceMetadata> = {}): ResourceMetadata => ({
  type: ResourceType.Memory,
  sizeBytes,
  ...extra,
});

describe("ResourceManager acquisition", () => {
  it("acquires a typed resource, charges the budget and releases at scope exit", () => {
    const m = createResourceManager();
    m.setBudget(ResourceType.Memory, {
      maxBytes: 1000,
      reservedBytes: 100,
      warningPercent: 75,
      criticalPercent: 90,
    });
    {
      const r = m.acquireResource(
        "MainMenuTexture",
        mem(400, { flags: ResourceFlags.Cacheable }),
        undefined,
        {
          create: () => ({ width: 0, height: 0 }),
        },
      );
      assert.ok(r.ok);
      using ref = r.value;
      ref.value.width = 1024;
      assert.equal(ref.handle.name, "MainMenuTexture");
      assert.equal(m.getResourceStats(ResourceType.Memory)?.currentUsage, 400);
      assert.equal(m.listLiveResources().length, 1);
    }
    assert.equal(m.getResourceStats(ResourceType.Memory)?.currentUsage, 0);
    assert.equal(m.listLiveResources().length, 0);
  });

  it("scoped resources release on dispose and double release is counted", () => {
    const m = createResourceManager();
    const r = m.acquireScopedResource("AudioBuffer", mem(10));
    assert.ok(r.ok);
    const scoped = r.value;
    assert.equal(scoped.handle().name, "AudioBuffer");
    assert.equal(scoped.release(), true);
    assert.equal(scoped.release(), false);
    scoped[Symbol.dispose]();
    assert.equal(m.counters.doubleReleases, 1);
    assert.equal(m.getResourceStats(ResourceType.Memory)?.currentUsage, 0);
  });

  it("fails NonBlocking past the budget with the numbers, and keeps the reserve for High priority", () => {
    const m = createResourceManager();
    m.setBudget(ResourceType.Memory, { maxBytes: 1000, reservedBytes: 200 });
    assert.ok(m.acquireResource("a", mem(700)).ok);
    const normal = m.acquireResource("b", mem(200));
    assert.equal(normal.ok, false);
    if (!normal.ok) {
      assert.equal(normal.error.code, ErrorCode.BudgetExceeded);
      assert.equal(normal.error.data?.limitBytes, 800);
      assert.equal(normal.error.data?.usedBytes, 700);
      assert.match(normal.error.message, /^\[resources\] "b"/);
    }
    assert.ok(m.acquireResource("c", mem(200, { priority: ResourcePriority.High })).ok);
    assert.equal(m.acquireResource("d", mem(200, { priority: ResourcePriority.Critical })).ok, false);
  });

  it("grants Emergency past the budget and counts it", () => {
    const m = createResourceManager();
    m.setBudget(ResourceType.Hardware, { maxBytes: 100 });
    assert.ok(m.acquireResource("dma0", { type: ResourceType.Hardware, sizeBytes: 90 }).ok);
    const r = m.acquireResource(
      "dma1",
      { type: ResourceType.Hardware, sizeBytes: 50 },
      AcquisitionMode.Emergency,
    );
    assert.ok(r.ok);
    assert.equal(m.counters.emergencyGrants, 1);
    const stats = m.getResourceStats(ResourceType.Hardware)!;
    assert.equal(stats.currentUsage, 140);
    assert.equal(stats.emergencyGrants, 1);
    assert.equal(stats.pressure, ResourcePressure.Critical);
    assert.equal(m.listLiveResources().find((x) => x.name === "dma1")?.emergency, true);
  });

  it("refuses a held name at once, and hands it over in FIFO order when Blocking", async () => {
    const m = createResourceManager();
    const first = m.acquireResource("lock", mem(1));
    assert.ok(first.ok);
    const again = m.acquireResource("lock", mem(1));
    assert.equal(again.ok, false);
    if (!again.ok) assert.equal(again.error.code, ErrorCode.SharingFailure);
    const order: string[] = [];
    const p1 = m.acquireResource("lock", mem(1), AcquisitionMode.Blocking, { owner: "w1" }).then((r) => {
      order.push("w1");
      return r;
    });
    const p2 = m.acquireResource("lock", mem(1), AcquisitionMode.Blocking, { owner: "w2" }).then((r) => {
      order.push("w2");
      return r;
    });
    assert.equal(m.report().waiting, 2);
    first.value.release();
    const r1 = await p1;
    assert.ok(r1.ok);
    assert.deepEqual(order, ["w1"]);
    r1.value.release();
    const r2 = await p2;
    assert.ok(r2.ok);
    assert.deepEqual(order, ["w1", "w2"]);
    assert.equal(m.report().waiting, 0);
  });

  it("wakes budget waiters when bytes free or the budget grows", async () => {
    const m = createResourceManager();
    m.setBudget(ResourceType.Memory, { maxBytes: 100 });
    const a = m.acquireResource("a", mem(80));
    assert.ok(a.ok);
    const p = m.acquireResource("b", mem(50), AcquisitionMode.Blocking);
    a.value.release();
    const b = await p;
    assert.ok(b.ok);
    const q = m.acquireResource("c", mem(100), AcquisitionMode.Blocking);
    m.setBudget(ResourceType.Memory, { maxBytes: 200 });
    assert.ok((await q).ok);
  });

  it("times out a Timeout acquire", async () => {
    const m = createResourceManager();
    m.setBudget(ResourceType.Memory, { maxBytes: 10 });
    assert.ok(m.acquireResource("a", mem(10)).ok);
    const r = await m.acquireResource("b", mem(5), AcquisitionMode.Timeout, { timeoutMs: 20 });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.code, ErrorCode.Timeout);
      assert.equal(r.error.data?.timeoutMs, 20);
    }
    assert.equal(m.counters.timeouts, 1);
    assert.equal(m.report().waiting, 0);
  });

  it("keeps a deadline while the process is busy handing resources around in microtasks", async () => {
    const m = createResourceManager();
    m.setBudget(ResourceType.Memory, { maxBytes: 100 });
    assert.ok(m.acquireResource("big", mem(60)).ok);
    let settledDuringBusyLoop = false;
    const waiter = m
      .acquireResource("needs50", mem(50), AcquisitionMode.Timeout, { timeoutMs: 20 })
      .then((r) => {
        settledDuringBusyLoop = busy;
        return r;
      });
    let busy = true;
    const end = Date.now() + 80;
    // Only microtasks run here: timers cannot fire until the loop ends.
    while (Date.now() < end) {
      const r = m.acquireResource("churn", mem(10));
      if (r.ok) r.value.release();
      await null;
    }
    busy = false;
    const r = await waiter;
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, ErrorCode.Timeout);
    assert.equal(settledDuringBusyLoop, true);
  });

  it("asks reclamation callbacks before failing, and survives ones that throw or lie", () => {
    const m = createResourceManager();
    m.setBudget(ResourceType.Memory, { maxBytes: 100 });
    const cache = m.acquireResource("cache", mem(60));
    assert.ok(cache.ok);
    const calls: number[] = [];
    m.registerReclamationCallback(ResourceType.Memory, () => {
      throw new Error("broken reclaimer");
    });
    m.registerReclamationCallback(ResourceType.Memory, () => 1_000_000); // lies: frees nothing
    m.registerReclamationCallback(ResourceType.Memory, (_type, requested) => {
      calls.push(requested);
      cache.value.release();
      return 60;
    });
    const r = m.acquireResource("frame", mem(70));
    assert.ok(r.ok);
    assert.deepEqual(calls, [30]);
    assert.equal(m.counters.reclaimErrors, 1);
    assert.equal(m.counters.reclaimOverclaims, 1);
    assert.equal(m.counters.reclaimedBytes, 60);
    assert.equal(m.getResourceStats(ResourceType.Memory)?.currentUsage, 70);
  });

  it("calls pressure callbacks on level transitions only", () => {
    const m = createResourceManager();
    m.setBudget(ResourceType.Memory, { maxBytes: 1000, warningPercent: 60, criticalPercent: 80 });
    const seen: [number, number][] = [];
    m.registerPressureCallback((type, level, stats) => {
      seen.push([level, stats.currentUsage]);
      assert.equal(type, ResourceType.Memory);
    });
    m.registerPressureCallback(() => {
      throw new Error("a bad callback");
    });
    const refs = [];
    for (let i = 0; i < 100; i++) {
      const r = m.acquireResource(`r${i}`, mem(10));
      assert.ok(r.ok);
      refs.push(r.value);
    }
    // low at 30%, medium at 60%, high at 70%, critical at 80%.
    assert.deepEqual(
      seen.map((s) => s[0]),
      [ResourcePressure.Low, ResourcePressure.Medium, ResourcePressure.High, ResourcePressure.Critical],
    );
    assert.deepEqual(
      seen.map((s) => s[1]),
      [300, 600, 700, 800],
    );
    for (const r of refs) r.release();
    assert.equal(seen.at(-1)?.[0], ResourcePressure.None);
    assert.equal(m.counters.callbackErrors, seen.length);
  });

  it("raises the level with host pressure", () => {
    const m = createResourceManager();
    const seen: number[] = [];
    m.registerPressureCallback((_t, level) => seen.push(level));
    m.setHostPressure(ResourcePressure.High);
    assert.equal(m.getResourceStats(ResourceType.Memory)?.pressure, ResourcePressure.High);
    m.setHostPressure(ResourcePressure.None);
    assert.deepEqual(seen, [ResourcePressure.High, ResourcePressure.None]);
  });

  it("supports manual register and release", () => {
    const m = createResourceManager();
    const h = m.registerResource("tex", mem(64));
    assert.ok(h.ok);
    assert.equal(m.getResourceStats(ResourceType.Memory)?.currentUsage, 64);
    assert.equal(m.releaseResource(h.value), true);
    assert.equal(m.releaseResource(h.value), false);
    assert.equal(m.getResourceStats(ResourceType.Memory)?.currentUsage, 0);
    assert.equal(m.counters.staleReleases, 1);
  });

  it("detects stale handles after the slot is reused", () => {
    const m = createResourceManager();
    const a = m.registerResource("a", mem(1));
    assert.ok(a.ok);
    m.releaseResource(a.value);
    const b = m.registerResource("b", mem(1));
    assert.ok(b.ok);
    assert.equal(b.value.id, a.value.id);
    assert.notEqual(b.value.generation, a.value.generation);
    assert.equal(m.releaseResource(a.value), false);
    assert.equal(m.listLiveResources().length, 1);
  });

  it("refuses a handle from another manager", () => {
    const m1 = createResourceManager();
    const m2 = createResourceManager();
    const h = m1.registerResource("x", mem(1));
    assert.ok(h.ok);
    assert.equal(m2.releaseResource(h.value), false);
    assert.equal(m2.counters.foreignReleases, 1);
    assert.equal(m1.listLiveResources().length, 1);
  });

  it("runs create and destroy, and rolls back when create throws", () => {
    const m = createResourceManager();
    const destroyed: string[] = [];
    const r = m.acquireResource("conn", mem(5), undefined, {
      create: () => "c1",
      destroy: (v) => destroyed.push(v),
    });
    assert.ok(r.ok);
    r.value.release();
    assert.deepEqual(destroyed, ["c1"]);
    const bad = m.acquireResource("bad", mem(5), undefined, {
      create: () => {
        throw new Error("no device");
      },
    });
    assert.equal(bad.ok, false);
    if (!bad.ok) {
      assert.equal(bad.error.code, ErrorCode.Unavailable);
      assert.equal((bad.error.cause as Error).message, "no device");
    }
    assert.equal(m.getResourceStats(ResourceType.Memory)?.currentUsage, 0);
    assert.equal(m.listLiveResources().length, 0);
  });
});
