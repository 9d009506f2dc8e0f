import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ErrorCode, isHeadroomError } from "../errors.js";
import type { ResourceHandle } from "./handle-table.js";
import { createResourceManager } from "./resource-manager.js";
import type { ResourceRef, SharedResource } from "./resource-ref.js";
import {
  AcquisitionMode,
  allResourceTypes,
  ResourceFlags,
  type ResourceMetadata,
  ResourceType,
} from "./types.js";

const invalid: [unknown, RegExp][] = [
  [{ type: ResourceType.Memory, sizeBytes: 0 }, /sizeBytes 0/],
  [{ type: ResourceType.Memory, sizeBytes: -5 }, /sizeBytes -5/],
  [{ type: ResourceType.Memory, sizeBytes: Number.NaN }, /sizeBytes NaN/],
  [{ type: ResourceType.Memory, sizeBytes: 1.5 }, /sizeBytes 1.5/],
  [{ type: ResourceType.Memory, sizeBytes: 8, alignmentBytes: 3 }, /alignmentBytes 3/],
  [{ type: ResourceType.Memory, sizeBytes: 8, alignmentBytes: 0 }, /alignmentBytes 0/],
  [{ type: ResourceType.Memory | ResourceType.Hardware, sizeBytes: 8 }, /metadata.type 3/],
  [{ type: 64, sizeBytes: 8 }, /metadata.type 64/],
  [{ type: ResourceType.Memory, sizeBytes: 8, priority: 7 }, /priority 7/],
  [{ type: ResourceType.Memory, sizeBytes: 8, flags: 0x100 }, /flags 256/],
  [null, /metadata must be an object/],
];

describe("bad input", () => {
  it("refuses bad metadata with a typed error and charges nothing", async () => {
    const m = createResourceManager();
    for (const [meta, message] of invalid) {
      for (const mode of Object.values(AcquisitionMode)) {
        const r = await m.acquireResource("x", meta as ResourceMetadata, mode);
        assert.equal(r.ok, false, JSON.stringify(meta));
        if (!r.ok) {
          assert.equal(r.error.code, ErrorCode.InvalidArgument);
          assert.match(r.error.message, message);
        }
      }
    }
    const empty = m.acquireResource("", { type: ResourceType.Memory, sizeBytes: 1 });
    assert.equal(empty.ok, false);
    const mode = m.acquireResource("x", { type: ResourceType.Memory, sizeBytes: 1 }, "sometimes" as never);
    assert.equal(mode.ok, false);
    for (const timeoutMs of [-1, Number.NaN, 2 ** 40]) {
      const r = await m.acquireResource(
        "x",
        { type: ResourceType.Memory, sizeBytes: 1 },
        AcquisitionMode.Timeout,
        {
          timeoutMs,
        },
      );
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error.message, /timeoutMs/);
    }
    const pool = m.acquireResource("x", { type: ResourceType.Memory, sizeBytes: 1 }, undefined, {
      pool: "none",
    });
    assert.equal(pool.ok, false);
    if (!pool.ok) assert.equal(pool.error.code, ErrorCode.NotFound);
    for (const type of allResourceTypes) assert.equal(m.getResourceStats(type)?.currentUsage, 0);
    assert.equal(m.listLiveResources().length, 0);
  });

  it("refuses malformed budgets and keeps the old one", () => {
    const m = createResourceManager();
    m.setBudget(ResourceType.Memory, { maxBytes: 100 });
    const bad: [object, RegExp][] = [
      [{ maxBytes: 100, reservedBytes: 101 }, /reservedBytes 101 exceeds maxBytes 100/],
      [{ maxBytes: 0 }, /maxBytes 0/],
      [{ maxBytes: -1 }, /maxBytes -1/],
      [{ maxBytes: 10, reservedBytes: -1 }, /reservedBytes -1/],
      [{ maxBytes: 10, warningPercent: 95, criticalPercent: 90 }, /warningPercent 95 exceeds/],
      [{ maxBytes: 10, warningPercent: 0 }, /warningPercent 0/],
      [{ maxBytes: 10, criticalPercent: 101 }, /criticalPercent 101/],
    ];
    for (const [budget, message] of bad) {
      assert.throws(
        () => m.setBudget(ResourceType.Memory, budget as never),
        (err) =>
          isHeadroomError(err, ErrorCode.InvalidArgument) &&
          message.test(err.message) &&
          err.message.startsWith("[resources]"),
      );
    }
    assert.equal(m.getResourceStats(ResourceType.Memory)?.maxBytes, 100);
  });

  it("a pool-backed acquire hands out blocks, waits for one when Blocking and checks sizes", async () => {
    const m = createResourceManager();
    m.poolManager().createPool({
      type: ResourceType.Memory,
      blockSize: 64,
      initialCount: 1,
      maxCount: 1,
      name: "p",
    });
    const meta = { type: ResourceType.Memory, sizeBytes: 64 };
    const a = m.acquireResource<Uint8Array>("a", meta, undefined, { pool: "p" });
    assert.ok(a.ok);
    assert.equal(a.value.value.byteLength, 64);
    const full = m.acquireResource("b", meta, undefined, { pool: "p" });
    assert.equal(full.ok, false);
    if (!full.ok) {
      assert.equal(full.error.code, ErrorCode.PoolFull);
      assert.equal(full.error.data?.pool, "p");
    }
    const waiting = m.acquireResource("c", meta, AcquisitionMode.Blocking, { pool: "p" });
    a.value.release();
    assert.ok((await waiting).ok);
    const big = m.acquireResource("d", { ...meta, sizeBytes: 65 }, undefined, { pool: "p" });
    assert.equal(big.ok, false);
    if (!big.ok) assert.equal(big.error.code, ErrorCode.InvalidArgument);
    assert.equal(m.poolManager().getPoolStats("p")?.used, 1);
  });
});

// A small deterministic PRNG so a failure reproduces.
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("budget invariants under random operations", () => {
  it("usage equals the sum of live resources and never goes negative", () => {
    const rand = mulberry32(8);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const m = createResourceManager();
    const stranger = createResourceManager();
    const types = [ResourceType.Memory, ResourceType.Hardware, ResourceType.Communication];
    m.setBudget(ResourceType.Memory, { maxBytes: 5000, reservedBytes: 500 });
    m.setBudget(ResourceType.Hardware, { maxBytes: 2000 });
    const refs: ResourceRef<unknown>[] = [];
    const shares: SharedResource[] = [];
    const handles: ResourceHandle[] = [];
    const dead: ResourceHandle[] = [];
    const foreign = stranger.registerResource("f", { type: ResourceType.Memory, sizeBytes: 1 });
    assert.ok(foreign.ok);
    m.registerReclamationCallback(ResourceType.Memory, () => {
      const roll = rand();
      if (roll < 0.3) throw new Error("reclaimer failed");
      if (roll < 0.6) return 10_000; // lies
      const victim = refs.pop();
      victim?.release();
      return 100;
    });
    let n = 0;
    for (let i = 0; i < 20_000; i++) {
      const op = rand();
      const meta: ResourceMetadata = {
        type: pick(types),
        sizeBytes: rand() < 0.05 ? pick([0, -1, 2.5]) : 1 + Math.floor(rand() * 300),
        priority: pick([0, 1, 2, 3] as const),
        flags: rand() < 0.5 ? ResourceFlags.Shareable : 0,
        ...(rand() < 0.05 ? { alignmentBytes: 6 } : {}),
      };
      const name = `r${rand() < 0.1 ? Math.floor(rand() * 10) : n++}`;
      if (op < 0.3) {
        const r = m.acquireResource(
          name,
          meta,
          rand() < 0.1 ? AcquisitionMode.Emergency : AcquisitionMode.NonBlocking,
        );
        if (r.ok) refs.push(r.value);
      } else if (op < 0.4) {
        const r = m.registerResource(name, meta);
        if (r.ok) handles.push(r.value);
      } else if (op < 0.6 && refs.length > 0) {
        const ref = refs.splice(Math.floor(rand() * refs.length), 1)[0];
        ref.release();
        if (rand() < 0.3) ref.release();
        dead.push(ref.handle);
      } else if (op < 0.7 && handles.length > 0) {
        const h = handles.splice(Math.floor(rand() * handles.length), 1)[0];
        m.releaseResource(h);
        dead.push(h);
      } else if (op < 0.8 && refs.length > 0) {
        const s = m.shareResource(pick(refs).handle, pick(["a", "b", "c"]));
        if (s.ok) shares.push(s.value);
      } else if (op < 0.9 && shares.length > 0) {
        shares.splice(Math.floor(rand() * shares.length), 1)[0].release();
      } else if (op < 0.95) {
        m.releaseResource(dead.length > 0 && rand() < 0.7 ? pick(dead) : foreign.value);
      } else {
        try {
          m.setBudget(pick(types), {
            maxBytes: 1000 + Math.floor(rand() * 6000),
            reservedBytes: Math.floor(rand() * 1200),
          });
        } catch (err) {
          assert.ok(isHeadroomError(err, ErrorCode.InvalidArgument));
        }
      }
      const live = m.listLiveResources();
      for (const type of types) {
        const stats = m.getResourceStats(type)!;
        const ofType = live.filter((r) => r.type === stats.type);
        assert.equal(
          stats.currentUsage,
          ofType.reduce((sum, r) => sum + r.sizeBytes, 0),
          `usage of ${stats.type} at op ${i}`,
        );
        assert.equal(stats.liveCount, ofType.length);
        assert.ok(stats.currentUsage >= 0);
        assert.ok(stats.peakUsage >= stats.currentUsage);
      }
    }
    for (const r of refs) r.release();
    for (const h of handles) m.releaseResource(h);
    for (const s of shares) s.release();
    for (const type of types) assert.equal(m.getResourceStats(type)?.currentUsage, 0);
    assert.equal(m.listLiveResources().length, 0);
    assert.ok(
      m.counters.doubleReleases > 0 && m.counters.staleReleases > 0 && m.counters.foreignReleases > 0,
    );
    assert.ok(m.counters.reclaimErrors > 0 && m.counters.reclaimOverclaims > 0);
  });
});
