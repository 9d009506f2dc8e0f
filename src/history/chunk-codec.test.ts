import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode, isHeadroomError } from "../errors.js";
import {
  decodeChunk,
  decodeTimestamps,
  decodeValues,
  encodeChunk,
  encodeTimestamps,
  encodeValues,
} from "./chunk-codec.js";

/** Small deterministic PRNG so a failing fuzz case can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

function roundTrip(ts: number[], vs: number[], label: string): Uint8Array {
  const blob = encodeChunk(ts, vs);
  const got = decodeChunk(blob);
  assert.equal(got.ts.length, ts.length, label);
  for (let i = 0; i < ts.length; i++) {
    assert.equal(got.ts[i], ts[i], `${label}: t[${i}]`);
    assert.ok(Object.is(got.vs[i], vs[i]), `${label}: v[${i}] ${got.vs[i]} !== ${vs[i]}`);
  }
  return blob;
}

const generators: Record<string, (r: () => number, i: number, prev: number) => number> = {
  constant: () => 42,
  zero: () => 0,
  counterInt: (r, _i, prev) => prev + Math.floor(r() * 100),
  counterCentis: (r, _i, prev) => Math.round((prev + r() * 3) * 100) / 100,
  bytesGauge: (r) => 8e9 + Math.floor(r() * 1000) * 4096,
  randomDouble: (r) => (r() - 0.5) * 1e6,
  tinyDouble: (r) => r() * 1e-300,
  hugeDouble: (r) => (r() - 0.5) * 1e300,
  sawtooth: (_r, i) => (i % 17) * 0.25,
  mixedSign: (r) => (r() < 0.5 ? -1 : 1) * Math.floor(r() * 2 ** 40),
  sumOfFloats: (r, _i, prev) => prev + r() * 0.1,
  spiky: (r) => (r() < 0.01 ? 1e12 : r() < 0.5 ? -3.5 : 7),
};

test("chunks round-trip exactly across value shapes, lengths and timestamp jitter (fuzz)", () => {
  for (const [name, gen] of Object.entries(generators)) {
    for (let seed = 1; seed <= 12; seed++) {
      const r = rng(seed * 7919 + name.length);
      const n = 1 + Math.floor(r() * (seed % 3 === 0 ? 5 : 700));
      const ts: number[] = [];
      const vs: number[] = [];
      let t = 1_700_000_000_000 + Math.floor(r() * 1e6);
      let v = 0;
      for (let i = 0; i < n; i++) {
        t += seed % 4 === 0 ? 1 + Math.floor(r() * 1e7) : 1000 + Math.floor((r() - 0.5) * 20);
        v = gen(r, i, v);
        ts.push(t);
        vs.push(v);
      }
      roundTrip(ts, vs, `${name}/seed ${seed}`);
    }
  }
});

test("special values: -0, extreme doubles, one sample, max safe timestamps", () => {
  roundTrip([1], [-0], "negative zero");
  roundTrip([5, 6, 7], [Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE], "extremes");
  roundTrip([Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER], [1, 2], "max timestamps");
  roundTrip([0, 2 ** 40], [2 ** 49, -(2 ** 49)], "big jumps");
});

test("steady counters and constant gauges cost about a byte a sample or less", () => {
  const n = 512;
  const ts = Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 1000 + ((i * 7) % 5));
  const constant = encodeChunk(ts, new Array(n).fill(1234.5));
  assert.ok(constant.length / n < 1.3, `constant: ${constant.length / n} B/sample`);
  const r = rng(3);
  let c = 1e6;
  const counter = encodeChunk(
    ts,
    ts.map(() => {
      c = Math.round((c + 0.9 + r() * 0.2) * 100) / 100;
      return c;
    }),
  );
  assert.ok(counter.length / n < 2.5, `counter: ${counter.length / n} B/sample`);
});

test("a damaged or truncated blob is HR_STORAGE, never garbage", () => {
  const ts = Array.from({ length: 300 }, (_, i) => 1e12 + i * 1000);
  const vs = ts.map((_, i) => Math.sin(i) * 100);
  const blob = encodeChunk(ts, vs);
  const isStorage = (e: unknown) => isHeadroomError(e, ErrorCode.Storage);
  const r = rng(99);
  for (let k = 0; k < 200; k++) {
    const bad = blob.slice();
    const at = Math.floor(r() * bad.length);
    bad[at] ^= 1 + Math.floor(r() * 255);
    assert.throws(() => decodeChunk(bad), isStorage);
  }
  assert.throws(() => decodeChunk(blob.slice(0, blob.length - 10)), isStorage);
  assert.throws(() => decodeChunk(new Uint8Array(3)), isStorage);
  assert.throws(() => decodeChunk(new Uint8Array(64)), isStorage);
});

test("encoding rejects an empty run and non-increasing or fractional timestamps", () => {
  const isArg = (e: unknown) => isHeadroomError(e, ErrorCode.InvalidArgument);
  assert.throws(() => encodeChunk([], []), isArg);
  assert.throws(() => encodeChunk([2, 1], [1, 1]), isArg);
  assert.throws(() => encodeChunk([1.5, 3], [1, 1]), isArg);
});

test("split columns (timestamps and values apart) round-trip and reject each other's blobs", () => {
  const r = rng(11);
  for (let n = 1; n < 600; n += 37) {
    const ts = Array.from({ length: n }, (_, i) => 1e12 + i * 1000 + Math.floor(r() * 5));
    const vs = Array.from({ length: n }, () => Math.round(r() * 1e6) / 100);
    const tb = encodeTimestamps(ts);
    const vb = encodeValues(vs);
    assert.deepEqual(Array.from(decodeTimestamps(tb)), ts);
    assert.deepEqual(Array.from(decodeValues(vb)), vs);
    const isStorage = (e: unknown) => isHeadroomError(e, ErrorCode.Storage);
    assert.throws(() => decodeValues(tb), isStorage);
    assert.throws(() => decodeTimestamps(vb), isStorage);
    assert.throws(() => decodeChunk(vb), isStorage);
  }
});
