/**
 * Bit-level writer and reader for the chunk codec (most significant bit first). Pure and
 * allocation-light: the writer grows one Uint8Array, the reader walks a view of the blob and
 * throws a typed error instead of reading past its end.
 */
import { ErrorCode, HeadroomError } from "../errors.js";

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the high word of a float64 in `u32` (platform endianness). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

export class BitWriter {
  #buf: Uint8Array;
  #byte = 0;
  #bit = 0;

  constructor(initialBytes = 256) {
    this.#buf = new Uint8Array(initialBytes);
  }

  /** Writes the low `n` bits (1..32) of the unsigned `value`. */
  write(value: number, n: number): void {
    while (n > 0) {
      if (this.#byte >= this.#buf.length) this.#grow();
      const free = 8 - this.#bit;
      const take = Math.min(n, free);
      const bits = (value >>> (n - take)) & ((1 << take) - 1);
      this.#buf[this.#byte] |= bits << (free - take);
      this.#bit += take;
      if (this.#bit === 8) {
        this.#byte++;
        this.#bit = 0;
      }
      n -= take;
    }
  }

  writeFloat64(v: number): void {
    f64[0] = v;
    const hi = u32[HI];
    const lo = u32[LO];
    this.write(hi, 32);
    this.write(lo, 32);
  }

  /** Writes the low `n` bits (1..64) of the 64-bit word hi:lo. */
  write64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.write(hi, n - 32);
      this.write(lo, 32);
    } else this.write(lo, n);
  }

  /** Bits written so far. */
  get bitLength(): number {
    return this.#byte * 8 + this.#bit;
  }

  /** The bytes written so far (a copy, padded with zero bits to a whole byte). */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#byte + (this.#bit > 0 ? 1 : 0));
  }

  #grow(): void {
    const next = new Uint8Array(this.#buf.length * 2);
    next.set(this.#buf);
    this.#buf = next;
  }
}

export class BitReader {
  readonly #buf: Uint8Array;
  /** One past the last readable bit. */
  readonly #endBit: number;
  #pos: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.#buf = buf;
    this.#pos = start * 8;
    this.#endBit = end * 8;
  }

  /** Reads `n` (1..32) bits as an unsigned number. */
  read(n: number): number {
    const pos = this.#pos;
    if (pos + n > this.#endBit) {
      throw new HeadroomError(ErrorCode.Storage, "[history:chunk] chunk ends before its last sample", {
        data: { bit: pos },
      });
    }
    const sh = pos & 7;
    if (sh + n > 32) {
      // Spans five bytes: split in two reads.
      const hi = this.read(n - 16);
      return hi * 65536 + this.read(16);
    }
    const b = this.#buf;
    const i = pos >>> 3;
    const acc = ((b[i] << 24) | ((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0)) >>> 0;
    this.#pos = pos + n;
    return n === 32 ? acc : ((acc << sh) >>> 0) >>> (32 - n);
  }

  readBit(): number {
    const pos = this.#pos;
    if (pos >= this.#endBit) return this.read(1);
    this.#pos = pos + 1;
    return (this.#buf[pos >>> 3] >>> (7 - (pos & 7))) & 1;
  }

  readFloat64(): number {
    u32[HI] = this.read(32);
    u32[LO] = this.read(32);
    return f64[0];
  }
}

/** Splits a float64 into its high and low 32-bit words. */
export function float64Words(v: number, out: Uint32Array): void {
  f64[0] = v;
  out[0] = u32[HI];
  out[1] = u32[LO];
}

export function wordsToFloat64(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0];
}

/** The error for a blob whose bits do not decode (HR_STORAGE, naming what was wrong). */
export function corruptChunk(why: string): HeadroomError {
  return new HeadroomError(ErrorCode.Storage, `[history:chunk] corrupt chunk: ${why}`, { data: { why } });
}
