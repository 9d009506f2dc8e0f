import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ErrorCode } from "../errors.js";
import type { LeakReport } from "./live-resources.js";
import { createResourceManager } from "./resource-manager.js";
import { AcquisitionMode, ResourceType } from "./types.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("leak detection", () => {
  it("lists live resources with owner, age and, in debug mode, the acquiring stack", () => {
    let now = 1000;
    const m = createResourceManager({ debug: true, now: () => now });
    const r = m.acquireResource("tex", { type: ResourceType.Memory, sizeBytes: 8 }, undefined, {
      owner: "ui",
    });
    assert.ok(r.ok);
    now = 1500;
    const [live] = m.listLiveResources();
    assert.equal(live.name, "tex");
    assert.deepEqual(live.owners, ["ui"]);
    assert.equal(live.ageMs, 500);
    assert.equal(live.type, "memory");
    assert.match(live.stack ?? "", /leaks\.test\.ts/);
    const quiet = createResourceManager();
    const q = quiet.acquireResource("x", { type: ResourceType.Memory, sizeBytes: 1 });
    assert.ok(q.ok);
    assert.equal(quiet.listLiveResources()[0].stack, undefined);
    assert.deepEqual(quiet.listLiveResources()[0].owners, ["(anonymous)"]);
  });

  it("dispose() reports what is still held, frees it and refuses later work", async () => {
    const reports: LeakReport[] = [];
    const destroyed: number[] = [];
    const m = createResourceManager({ onLeak: (r) => reports.push(r) });
    m.setBudget(ResourceType.Memory, { maxBytes: 10 });
    const held = m.acquireResource("held", { type: ResourceType.Memory, sizeBytes: 10 }, undefined, {
      owner: "cache",
      create: () => 1,
      destroy: (v) => destroyed.push(v),
    });
    assert.ok(held.ok);
    const waiting = m.acquireResource(
      "w",
      { type: ResourceType.Memory, sizeBytes: 5 },
      AcquisitionMode.Blocking,
    );
    const left = m.dispose();
    assert.deepEqual(
      left.map((x) => x.name),
      ["held"],
    );
    assert.equal(reports.length, 1);
    assert.equal(reports[0].kind, "held-at-dispose");
    assert.deepEqual(reports[0].resources[0].owners, ["cache"]);
    assert.deepEqual(destroyed, [1]);
    assert.equal(m.getResourceStats(ResourceType.Memory)?.currentUsage, 0);
    const w = await waiting;
    assert.equal(w.ok, false);
    if (!w.ok) assert.equal(w.error.code, ErrorCode.Disposed);
    const later = m.acquireResource("later", { type: ResourceType.Memory, sizeBytes: 1 });
    assert.equal(later.ok, false);
    if (!later.ok) assert.equal(later.error.code, ErrorCode.Disposed);
    assert.equal(m.registerResource("later", { type: ResourceType.Memory, sizeBytes: 1 }).ok, false);
    assert.equal(held.value.release(), false);
    assert.deepEqual(m.dispose(), []);
  });

  it("reports a ref collected without release (best effort, through FinalizationRegistry)", async () => {
    const reports: LeakReport[] = [];
    const m = createResourceManager({ onLeak: (r) => reports.push(r) });
    (() => {
      const r = m.acquireResource("forgotten", { type: ResourceType.Memory, sizeBytes: 4 }, undefined, {
        owner: "loader",
      });
      assert.ok(r.ok);
    })();
    const kept = m.acquireResource("kept", { type: ResourceType.Memory, sizeBytes: 4 });
    for (let i = 0; i < 50 && reports.length === 0; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(reports.length, 1);
    assert.equal(reports[0].kind, "collected-unreleased");
    assert.equal(reports[0].resources[0].name, "forgotten");
    assert.deepEqual(reports[0].resources[0].owners, ["loader"]);
    assert.equal(m.counters.leakedRefs, 1);
    assert.ok(kept.ok);
    kept.value.release();
  });
});
