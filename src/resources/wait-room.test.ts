import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ErrorCode } from "../errors.js";
import { createResourceManager } from "./resource-manager.js";
import { AcquisitionMode, type ResourceMetadata, ResourcePressure, ResourceType } from "./types.js";

const mem = (sizeBytes: number): ResourceMetadata => ({ type: ResourceType.Memory, sizeBytes });

describe("waiting acquires", () => {
  it("a waiter for a name that then lacks budget moves to the budget queue and is granted later", async () => {
    const m = createResourceManager();
    m.setBudget(ResourceType.Memory, { maxBytes: 100 });
    const named = m.acquireResource("cfg", mem(10));
    const filler = m.acquireResource("filler", mem(80));
    assert.ok(named.ok && filler.ok);
    let granted = false;
    const waiter = m.acquireResource("cfg", mem(50), AcquisitionMode.Blocking).then((r) => {
      granted = r.ok;
      return r;
    });
    named.value.release(); // the name frees, but 50 bytes do not fit next to the filler's 80
    await null;
    assert.equal(granted, false);
    assert.equal(m.report().waiting, 1);
    filler.value.release();
    const r = await waiter;
    assert.ok(r.ok);
    assert.equal(m.getResourceStats(ResourceType.Memory)?.currentUsage, 50);
  });

  it("keeps FIFO order on a budget: a large head is not overtaken by smaller waiters behind it", async () => {
    const m = createResourceManager();
    m.setBudget(ResourceType.Memory, { maxBytes: 100 });
    const a = m.acquireResource("a", mem(60));
    const b = m.acquireResource("b", mem(30));
    assert.ok(a.ok && b.ok);
    const order: string[] = [];
    const big = m.acquireResource("big", mem(90), AcquisitionMode.Blocking).then((r) => {
      order.push("big");
      return r;
    });
    const small = m.acquireResource("small", mem(20), AcquisitionMode.Blocking).then((r) => {
      order.push("small");
      return r;
    });
    b.value.release(); // 40 free: enough for small, not for big; small must keep waiting
    await null;
    assert.deepEqual(order, []);
    a.value.release();
    const bigRef = await big;
    assert.ok(bigRef.ok);
    bigRef.value.release();
    assert.ok((await small).ok);
    assert.deepEqual(order, ["big", "small"]);
  });

  it("a timed-out head lets the waiters behind it through", async () => {
    const m = createResourceManager();
    m.setBudget(ResourceType.Memory, { maxBytes: 100 });
    const a = m.acquireResource("a", mem(70));
    assert.ok(a.ok);
    const big = m.acquireResource("big", mem(90), AcquisitionMode.Timeout, { timeoutMs: 10 });
    const small = m.acquireResource("small", mem(20), AcquisitionMode.Blocking);
    const bigResult = await big;
    assert.equal(bigResult.ok, false);
    if (!bigResult.ok) assert.equal(bigResult.error.code, ErrorCode.Timeout);
    assert.ok((await small).ok);
  });

  it("a pressure callback that releases resources mid-acquire leaves the books consistent", () => {
    const m = createResourceManager();
    m.setBudget(ResourceType.Memory, { maxBytes: 100, warningPercent: 50, criticalPercent: 80 });
    const cache = m.acquireResource("cache", mem(40));
    assert.ok(cache.ok);
    m.registerPressureCallback((_type, level) => {
      if (level >= ResourcePressure.High) cache.value.release();
    });
    const big = m.acquireResource("big", mem(40));
    assert.ok(big.ok);
    const stats = m.getResourceStats(ResourceType.Memory)!;
    assert.equal(stats.currentUsage, 40);
    assert.equal(stats.liveCount, 1);
    assert.deepEqual(
      m.listLiveResources().map((r) => r.name),
      ["big"],
    );
  });

  it("reports plain data that survives structured cloning and JSON", () => {
    const m = createResourceManager();
    m.setBudget(ResourceType.Hardware, { maxBytes: 10 });
    m.poolManager().createPool({
      type: ResourceType.Memory,
      blockSize: 8,
      initialCount: 1,
      maxCount: 2,
      name: "p",
    });
    assert.ok(m.acquireResource("x", { type: ResourceType.Hardware, sizeBytes: 4 }).ok);
    const report = m.report();
    assert.deepEqual(structuredClone(report), report);
    const json = JSON.parse(JSON.stringify(report));
    assert.equal(json.budgets[0].type, "hardware");
    assert.equal(json.resources[0].name, "x");
    assert.equal(json.pools[0].name, "p");
    assert.equal(json.counters.failures, 0);
    m.dispose();
  });
});
