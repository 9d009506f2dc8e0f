/**
 * Gorilla's XOR value encoding: each float64 XORed with the previous one; a zero XOR is one
 * bit, otherwise the meaningful bits are written inside a leading/trailing-zero window that
 * is reused while it still fits.
 */
import { type BitReader, type BitWriter, corruptChunk, wordsToFloat64 } from "./bit-stream.js";

const words = new Uint32Array(2);
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

function split(v: number): void {
  f64[0] = v;
  words[0] = u32[HI];
  words[1] = u32[LO];
}

function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

function ctz64(hi: number, lo: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

export function writeXor(w: BitWriter, vs: ArrayLike<number>, n: number): void {
  w.writeFloat64(vs[0]);
  split(vs[0]);
  let prevHi = words[0];
  let prevLo = words[1];
  let lead = -1;
  let trail = 0;
  for (let i = 1; i < n; i++) {
    split(vs[i]);
    const hi = words[0];
    const lo = words[1];
    const xhi = (hi ^ prevHi) >>> 0;
    const xlo = (lo ^ prevLo) >>> 0;
    prevHi = hi;
    prevLo = lo;
    if (xhi === 0 && xlo === 0) {
      w.write(0, 1);
      continue;
    }
    let l = clz64(xhi, xlo);
    const t = ctz64(xhi, xlo);
    if (l > 31) l = 31;
    if (lead >= 0 && l >= lead && t >= trail) {
      w.write(0b10, 2);
      writeShifted(w, xhi, xlo, trail, 64 - lead - trail);
      continue;
    }
    lead = l;
    trail = t;
    const len = 64 - l - t;
    w.write(0b11, 2);
    w.write(l, 5);
    w.write(len - 1, 6);
    writeShifted(w, xhi, xlo, t, len);
  }
}

/** Writes bits [shift, shift + len) of the 64-bit word hi:lo. */
function writeShifted(w: BitWriter, hi: number, lo: number, shift: number, len: number): void {
  let sh: number;
  let sl: number;
  if (shift >= 32) {
    sl = hi >>> (shift - 32);
    sh = 0;
  } else if (shift === 0) {
    sh = hi;
    sl = lo;
  } else {
    sl = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
    sh = hi >>> shift;
  }
  w.write64(sh, sl, len);
}

export function readXor(r: BitReader, vs: Float64Array, n: number): void {
  vs[0] = r.readFloat64();
  split(vs[0]);
  let hi = words[0];
  let lo = words[1];
  let lead = 0;
  let trail = 0;
  for (let i = 1; i < n; i++) {
    if (r.readBit() === 0) {
      vs[i] = vs[i - 1];
      continue;
    }
    if (r.readBit() === 1) {
      lead = r.read(5);
      const len = r.read(6) + 1;
      trail = 64 - lead - len;
      if (trail < 0) throw corruptChunk("bad XOR window");
    }
    const len = 64 - lead - trail;
    let mhi = 0;
    let mlo: number;
    if (len > 32) {
      mhi = r.read(len - 32);
      mlo = r.read(32);
    } else mlo = r.read(len);
    // shift the meaningful bits left by `trail`
    let xhi: number;
    let xlo: number;
    if (trail >= 32) {
      xhi = (mlo << (trail - 32)) >>> 0;
      xlo = 0;
    } else if (trail === 0) {
      xhi = mhi;
      xlo = mlo;
    } else {
      xhi = ((mhi << trail) | (mlo >>> (32 - trail))) >>> 0;
      xlo = (mlo << trail) >>> 0;
    }
    hi = (hi ^ xhi) >>> 0;
    lo = (lo ^ xlo) >>> 0;
    vs[i] = wordsToFloat64(hi, lo);
  }
}
