/**
 * The sealed-chunk codec: a run of one series' samples as one compressed blob.
 *
 * Layout: byte 0 format (1); bytes 1..4 sample count (u32 BE); then a bit stream; then a CRC-32
 * (u32 BE) of everything before it, so a damaged blob is detected instead of decoded into
 * plausible garbage.
 *
 * Timestamps (integer ms) are Gorilla's delta-of-delta: the first as float64, the first delta
 * and each later delta-of-delta as a variable-width signed residual (`0` for an unchanged
 * interval, then 5/9/16/24/32-bit buckets, then a raw float64).
 *
 * Sealed chunks in the SQLite store keep the two columns apart (`encodeTimestamps`,
 * `encodeValues`, formats 2 and 3) so that the series written by one snapshot, which share
 * every timestamp, share one stored timestamp column.
 *
 * Values take the smallest of three encodings, chosen per chunk:
 *  - XOR (Gorilla): each value XORed with the previous, leading/trailing zero windows reused;
 *  - decimal integers, delta: when every value is an integer after scaling by 10^d (d <= 9:
 *    kernel counters, byte gauges, values parsed from decimal text), the values are divided by
 *    the GCD of their differences (page sizes, clock ticks) and stored as residual deltas;
 *  - the same with delta-of-delta (counters that grow at a steady rate).
 * Integers keep noisy gauges and counters near one byte a sample where XOR pays 3-6; the
 * choice is exact, checked value by value, so decoding always returns the same doubles.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { BitReader, BitWriter, corruptChunk } from "./bit-stream.js";
import { readXor, writeXor } from "./xor-values.js";

const FORMAT = 1;
const FORMAT_TIMESTAMPS = 2;
const FORMAT_VALUES = 3;
const VALUES_XOR = 0;
const VALUES_INT_DELTA = 1;
const VALUES_INT_DOD = 2;
const MAX_SCALE = 9;
/** Scaled integers stay below 2^50 so deltas of deltas are exact doubles. */
const INT_LIMIT = 2 ** 50;

export interface DecodedChunk {
  readonly ts: Float64Array;
  readonly vs: Float64Array;
}

// ---- CRC-32 (IEEE), table driven -------------------------------------------------------
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array, end = buf.length): number {
  let c = 0xffffffff;
  for (let i = 0; i < end; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ---- signed residuals ------------------------------------------------------------------
function writeResidual(w: BitWriter, r: number): void {
  if (r === 0) w.write(0, 1);
  else if (r >= -15 && r <= 16) {
    w.write(0b10, 2);
    w.write(r + 15, 5);
  } else if (r >= -255 && r <= 256) {
    w.write(0b110, 3);
    w.write(r + 255, 9);
  } else if (r >= -32767 && r <= 32768) {
    w.write(0b1110, 4);
    w.write(r + 32767, 16);
  } else if (r >= -8388607 && r <= 8388608) {
    w.write(0b11110, 5);
    w.write(r + 8388607, 24);
  } else if (r >= -2147483647 && r <= 2147483648) {
    w.write(0b111110, 6);
    w.write(r + 2147483647, 32);
  } else {
    w.write(0b111111, 6);
    w.writeFloat64(r);
  }
}

function readResidual(r: BitReader): number {
  if (r.readBit() === 0) return 0;
  if (r.readBit() === 0) return r.read(5) - 15;
  if (r.readBit() === 0) return r.read(9) - 255;
  if (r.readBit() === 0) return r.read(16) - 32767;
  if (r.readBit() === 0) return r.read(24) - 8388607;
  if (r.readBit() === 0) return r.read(32) - 2147483647;
  return r.readFloat64();
}

// ---- values ----------------------------------------------------------------------------

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** The decimal scale (0..9) at which every value is an exact integer below INT_LIMIT, or -1. */
function integerScale(vs: ArrayLike<number>, n: number): number {
  outer: for (let d = 0; d <= MAX_SCALE; d++) {
    const m = 10 ** d;
    for (let i = 0; i < n; i++) {
      const v = vs[i];
      const x = Math.round(v * m);
      if (x / m !== v || Object.is(v, -0) || Math.abs(x) >= INT_LIMIT) continue outer;
    }
    return d;
  }
  return -1;
}

function writeInts(
  w: BitWriter,
  xs: Float64Array,
  n: number,
  order: 1 | 2,
  scale: number,
  step: number,
): void {
  w.write(scale, 4);
  writeResidual(w, step);
  writeResidual(w, xs[0]);
  if (n < 2) return;
  let prevDelta = (xs[1] - xs[0]) / step;
  writeResidual(w, prevDelta);
  for (let i = 2; i < n; i++) {
    const delta = (xs[i] - xs[i - 1]) / step;
    writeResidual(w, order === 1 ? delta : delta - prevDelta);
    prevDelta = delta;
  }
}

function readInts(r: BitReader, vs: Float64Array, n: number, order: number): void {
  const scale = r.read(4);
  if (scale > MAX_SCALE) throw corruptChunk("bad decimal scale");
  const m = 10 ** scale;
  const step = readResidual(r);
  let x = readResidual(r);
  vs[0] = x / m;
  if (n < 2) return;
  let delta = readResidual(r);
  x += delta * step;
  vs[1] = x / m;
  for (let i = 2; i < n; i++) {
    const res = readResidual(r);
    delta = order === VALUES_INT_DELTA ? res : delta + res;
    x += delta * step;
    vs[i] = x / m;
  }
}

// ---- chunk -----------------------------------------------------------------------------
function checkTimestamps(ts: ArrayLike<number>, n: number): void {
  for (let i = 0; i < n; i++) {
    if (!Number.isSafeInteger(ts[i]) || (i > 0 && ts[i] <= ts[i - 1])) {
      throw new HeadroomError(
        ErrorCode.InvalidArgument,
        `[history:chunk] timestamp ${ts[i]} at index ${i} is not an integer after its predecessor`,
        { data: { index: i } },
      );
    }
  }
}

function header(w: BitWriter, ts: ArrayLike<number>, n: number, format = FORMAT): void {
  w.write(format, 8);
  w.write(n, 32);
  writeTimestamps(w, ts, n);
}

function writeTimestamps(w: BitWriter, ts: ArrayLike<number>, n: number): void {
  w.writeFloat64(ts[0]);
  if (n < 2) return;
  let prev = ts[1] - ts[0];
  writeResidual(w, prev);
  for (let i = 2; i < n; i++) {
    const d = ts[i] - ts[i - 1];
    writeResidual(w, d - prev);
    prev = d;
  }
}

function seal(w: BitWriter): Uint8Array {
  const body = w.finish();
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, crc32(body));
  return out;
}

/**
 * Encodes `n` samples (timestamps strictly increasing integers, values finite) into a blob.
 * Throws HR_INVALID_ARGUMENT for an empty run.
 */
export function encodeChunk(ts: ArrayLike<number>, vs: ArrayLike<number>, n = ts.length): Uint8Array {
  if (n < 1)
    throw new HeadroomError(ErrorCode.InvalidArgument, "[history:chunk] cannot encode an empty chunk");
  checkTimestamps(ts, n);
  return bestValues(vs, n, (w) => header(w, ts, n));
}

/** The timestamp column alone (format 2); same checks as `encodeChunk`. */
export function encodeTimestamps(ts: ArrayLike<number>, n = ts.length): Uint8Array {
  if (n < 1)
    throw new HeadroomError(ErrorCode.InvalidArgument, "[history:chunk] cannot encode an empty chunk");
  checkTimestamps(ts, n);
  const w = new BitWriter(n + 32);
  header(w, ts, n, FORMAT_TIMESTAMPS);
  return seal(w);
}

/** The value column alone (format 3), in the smallest of the value encodings. */
export function encodeValues(vs: ArrayLike<number>, n = vs.length): Uint8Array {
  if (n < 1)
    throw new HeadroomError(ErrorCode.InvalidArgument, "[history:chunk] cannot encode an empty chunk");
  return bestValues(vs, n, (w) => {
    w.write(FORMAT_VALUES, 8);
    w.write(n, 32);
  });
}

/**
 * Writes the value column in the smallest encoding and seals it. XOR is tried only when the
 * values are not exact decimal integers: for those the integer encodings are never larger in
 * practice, and skipping XOR halves the sealing cost.
 */
function bestValues(vs: ArrayLike<number>, n: number, prefix: (w: BitWriter) => void): Uint8Array {
  const scale = integerScale(vs, n);
  if (scale < 0) {
    const xor = new BitWriter(n * 2 + 32);
    prefix(xor);
    xor.write(VALUES_XOR, 2);
    writeXor(xor, vs, n);
    return seal(xor);
  }
  const m = 10 ** scale;
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = Math.round(vs[i] * m);
  let step = 0;
  for (let i = 1; i < n; i++) step = gcd(step, Math.abs(xs[i] - xs[i - 1]));
  if (step === 0) step = 1;
  let best: BitWriter | undefined;
  for (const order of [1, 2] as const) {
    const w = new BitWriter(n + 32);
    prefix(w);
    w.write(order === 1 ? VALUES_INT_DELTA : VALUES_INT_DOD, 2);
    writeInts(w, xs, n, order, scale, step);
    if (!best || w.bitLength < best.bitLength) best = w;
  }
  return seal(best!);
}

/** Checks length, checksum and format; returns a reader positioned after the sample count, and the count. */
function open(blob: Uint8Array, format: number, minBytes: number): { r: BitReader; n: number } {
  if (!(blob instanceof Uint8Array) || blob.length < minBytes) {
    throw corruptChunk(`blob of ${blob?.length ?? 0} bytes is too short`);
  }
  const bodyEnd = blob.length - 4;
  const stored = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(bodyEnd);
  if (crc32(blob, bodyEnd) !== stored) throw corruptChunk("checksum mismatch");
  const r = new BitReader(blob, 0, bodyEnd);
  if (r.read(8) !== format) throw corruptChunk("unknown format");
  const n = r.read(32);
  if (n < 1 || n > bodyEnd * 8) throw corruptChunk(`implausible sample count ${n}`);
  return { r, n };
}

/** Decodes a blob from `encodeChunk`. Throws HR_STORAGE when it is damaged. */
export function decodeChunk(blob: Uint8Array): DecodedChunk {
  const { r, n } = open(blob, FORMAT, 18);
  const ts = readTimestamps(r, n);
  const vs = new Float64Array(n);
  readValues(r, vs, n);
  return { ts, vs };
}

/** Decodes a blob from `encodeTimestamps`. Throws HR_STORAGE when it is damaged. */
export function decodeTimestamps(blob: Uint8Array): Float64Array {
  const { r, n } = open(blob, FORMAT_TIMESTAMPS, 17);
  return readTimestamps(r, n);
}

/** Decodes a blob from `encodeValues`. Throws HR_STORAGE when it is damaged. */
export function decodeValues(blob: Uint8Array): Float64Array {
  const { r, n } = open(blob, FORMAT_VALUES, 10);
  const vs = new Float64Array(n);
  readValues(r, vs, n);
  return vs;
}

function readValues(r: BitReader, vs: Float64Array, n: number): void {
  const mode = r.read(2);
  if (mode === VALUES_XOR) readXor(r, vs, n);
  else if (mode === VALUES_INT_DELTA || mode === VALUES_INT_DOD) readInts(r, vs, n, mode);
  else throw corruptChunk("unknown value encoding");
}

function readTimestamps(r: BitReader, n: number): Float64Array {
  const ts = new Float64Array(n);
  ts[0] = r.readFloat64();
  if (n > 1) {
    let d = readResidual(r);
    ts[1] = ts[0] + d;
    for (let i = 2; i < n; i++) {
      d += readResidual(r);
      ts[i] = ts[i - 1] + d;
    }
  }
  return ts;
}
