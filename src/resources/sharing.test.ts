import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ErrorCode } from "../errors.js";
import { createResourceManager } from "./resource-manager.js";
import { AcquisitionMode, ResourceFlags, type ResourceMetadata, ResourceType } from "./types.js";

const shareable: ResourceMetadata = {
  type: ResourceType.Hardware,
  sizeBytes: 256,
  flags: ResourceFlags.Shareable | ResourceFlags.GPUAccessible,
};

describe("sharing between owners", () => {
  it("counts references and releases when the last owner releases", () => {
    const m = createResourceManager();
    const destroyed: string[] = [];
    const vb = m.acquireResource("SharedVertexBuffer", shareable, undefined, {
      owner: "GraphicsDriver",
      create: () => "vb",
      destroy: (v) => destroyed.push(v),
    });
    assert.ok(vb.ok);
    const shared = m.shareResource(vb.value.handle, "AudioDriver");
    assert.ok(shared.ok);
    assert.equal(shared.value.owner, "AudioDriver");
    const live = m.listLiveResources()[0];
    assert.deepEqual(live.owners, ["GraphicsDriver", "AudioDriver"]);
    assert.equal(live.refCount, 2);
    vb.value.release();
    assert.equal(m.getResourceStats(ResourceType.Hardware)?.currentUsage, 256);
    assert.deepEqual(destroyed, []);
    {
      using s = shared.value;
      assert.equal(s.released, false);
    }
    assert.deepEqual(destroyed, ["vb"]);
    assert.equal(m.getResourceStats(ResourceType.Hardware)?.currentUsage, 0);
    assert.equal(shared.value.release(), false);
    assert.equal(m.counters.doubleReleases, 1);
  });

  it("refuses to share what is not Shareable, stale, foreign or to an empty owner", () => {
    const m = createResourceManager();
    const other = createResourceManager();
    const plain = m.acquireResource("plain", { type: ResourceType.Memory, sizeBytes: 1 });
    assert.ok(plain.ok);
    const r1 = m.shareResource(plain.value.handle, "x");
    assert.equal(r1.ok, false);
    if (!r1.ok) assert.equal(r1.error.code, ErrorCode.SharingFailure);
    const s = m.acquireResource("s", shareable);
    assert.ok(s.ok);
    const r2 = m.shareResource(s.value.handle, "");
    assert.equal(r2.ok, false);
    if (!r2.ok) assert.equal(r2.error.code, ErrorCode.InvalidArgument);
    const r3 = other.shareResource(s.value.handle, "x");
    assert.equal(r3.ok, false);
    if (!r3.ok) assert.equal(r3.error.code, ErrorCode.NotFound);
    s.value.release();
    const r4 = m.shareResource(s.value.handle, "x");
    assert.equal(r4.ok, false);
    if (!r4.ok) assert.equal(r4.error.code, ErrorCode.NotFound);
  });

  it("fails a blocking acquire that would deadlock, naming the cycle", async () => {
    const m = createResourceManager();
    const meta: ResourceMetadata = { type: ResourceType.Communication, sizeBytes: 1 };
    const a = m.acquireResource("queueA", meta, undefined, { owner: "driverA" });
    const b = m.acquireResource("queueB", meta, undefined, { owner: "driverB" });
    assert.ok(a.ok && b.ok);
    // driverA waits for queueB (held by driverB): fine so far.
    const aWaits = m.acquireResource("queueB", meta, AcquisitionMode.Blocking, { owner: "driverA" });
    // driverB now asking for queueA would close the cycle.
    const bWaits = await m.acquireResource("queueA", meta, AcquisitionMode.Blocking, { owner: "driverB" });
    assert.equal(bWaits.ok, false);
    if (!bWaits.ok) {
      assert.equal(bWaits.error.code, ErrorCode.Deadlock);
      assert.deepEqual(bWaits.error.data?.cycle, ["driverB", "driverA", "driverB"]);
      assert.match(bWaits.error.message, /driverB -> driverA -> driverB/);
    }
    assert.equal(m.counters.deadlocks, 1);
    b.value.release();
    const granted = await aWaits;
    assert.ok(granted.ok);
    assert.deepEqual(m.listLiveResources().find((r) => r.name === "queueB")?.owners, ["driverA"]);
  });

  it("finds longer cycles through shared holders, and an owner waiting on itself", async () => {
    const m = createResourceManager();
    const meta: ResourceMetadata = { ...shareable, sizeBytes: 1 };
    const x = m.acquireResource("x", meta, undefined, { owner: "a" });
    const y = m.acquireResource("y", meta, undefined, { owner: "b" });
    const z = m.acquireResource("z", meta, undefined, { owner: "c" });
    assert.ok(x.ok && y.ok && z.ok);
    assert.ok(m.shareResource(z.value.handle, "d").ok);
    void m.acquireResource("y", meta, AcquisitionMode.Blocking, { owner: "a" }); // a -> b
    void m.acquireResource("z", meta, AcquisitionMode.Blocking, { owner: "b" }); // b -> c, d
    const d = await m.acquireResource("x", meta, AcquisitionMode.Blocking, { owner: "d" });
    assert.equal(d.ok, false);
    if (!d.ok) assert.deepEqual(d.error.data?.cycle, ["d", "a", "b", "d"]);
    const self = await m.acquireResource("x", meta, AcquisitionMode.Blocking, { owner: "a" });
    assert.equal(self.ok, false);
    if (!self.ok) assert.deepEqual(self.error.data?.cycle, ["a", "a"]);
    // Anonymous waits take no part in the graph.
    const anon = m.acquireResource("x", meta, AcquisitionMode.Timeout, { timeoutMs: 5 });
    assert.equal((await anon).ok, false);
    m.dispose();
  });
});
