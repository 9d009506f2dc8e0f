/**
 * Snappy block format (not the framing format): what Prometheus remote write 1.0 requires for
 * its body (`Content-Encoding: snappy`). A plain greedy compressor in the shape of the
 * reference one (64 KiB blocks, a 4-byte hash table, literal runs and 2-byte-offset copies),
 * plus the decompressor the tests and the fault suite use to read bodies back.
 * Format: https://github.com/google/snappy/blob/main/format_description.txt
 */
import { ErrorCode, HeadroomError } from "../errors.js";

const BLOCK = 1 << 16;
const HASH_BITS = 14;
const table = new Int32Array(1 << HASH_BITS);

function load32(a: Uint8Array, i: number): number {
  return (a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24)) >>> 0;
}

function hash(x: number): number {
  return Math.imul(x, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

function writeVarint(out: Uint8Array, pos: number, value: number): number {
  while (value >= 0x80) {
    out[pos++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  out[pos++] = value;
  return pos;
}

function emitLiteral(out: Uint8Array, pos: number, src: Uint8Array, from: number, to: number): number {
  const n = to - from - 1;
  if (n < 0) return pos;
  if (n < 60) {
    out[pos++] = n << 2;
  } else if (n < 0x100) {
    out[pos++] = 60 << 2;
    out[pos++] = n;
  } else if (n < 0x10000) {
    out[pos++] = 61 << 2;
    out[pos++] = n & 0xff;
    out[pos++] = n >>> 8;
  } else {
    // A literal never spans more than one 64 KiB block, so three length bytes are enough.
    out[pos++] = 62 << 2;
    out[pos++] = n & 0xff;
    out[pos++] = (n >>> 8) & 0xff;
    out[pos++] = n >>> 16;
  }
  out.set(src.subarray(from, to), pos);
  return pos + (to - from);
}

function emitCopy2(out: Uint8Array, pos: number, offset: number, len: number): number {
  out[pos++] = ((len - 1) << 2) | 2;
  out[pos++] = offset & 0xff;
  out[pos++] = offset >>> 8;
  return pos;
}

function emitCopy(out: Uint8Array, pos: number, offset: number, len: number): number {
  while (len >= 68) {
    pos = emitCopy2(out, pos, offset, 64);
    len -= 64;
  }
  if (len > 64) {
    pos = emitCopy2(out, pos, offset, 60);
    len -= 60;
  }
  if (len >= 12 || offset >= 2048) return emitCopy2(out, pos, offset, len);
  out[pos++] = ((offset >>> 8) << 5) | ((len - 4) << 2) | 1;
  out[pos++] = offset & 0xff;
  return pos;
}

/** Compresses `src` into one snappy block. */
export function snappyCompress(src: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(32 + src.length + Math.ceil(src.length / 6));
  let pos = writeVarint(out, 0, src.length);
  for (let start = 0; start < src.length; start += BLOCK) {
    const end = Math.min(start + BLOCK, src.length);
    let nextEmit = start;
    if (end - start >= 16) {
      table.fill(-1);
      let ip = start;
      const limit = end - 4;
      while (ip < limit) {
        const word = load32(src, ip);
        const h = hash(word);
        const candidate = table[h];
        table[h] = ip;
        if (candidate >= start && load32(src, candidate) === word) {
          pos = emitLiteral(out, pos, src, nextEmit, ip);
          let len = 4;
          while (ip + len < end && src[candidate + len] === src[ip + len]) len++;
          pos = emitCopy(out, pos, ip - candidate, len);
          ip += len;
          nextEmit = ip;
          if (ip - 1 < limit) table[hash(load32(src, ip - 1))] = ip - 1;
        } else {
          // Skip faster through data that does not compress, as the reference implementation does.
          ip += 1 + ((ip - nextEmit) >>> 5);
        }
      }
    }
    pos = emitLiteral(out, pos, src, nextEmit, end);
  }
  return out.slice(0, pos);
}

function corrupt(what: string, at: number): HeadroomError {
  return new HeadroomError(ErrorCode.Parse, `[snappy] corrupt input: ${what} at byte ${at}`, {
    data: { at },
  });
}

/** Decompresses one snappy block; throws HR_PARSE on corrupt or truncated input. */
export function snappyUncompress(src: Uint8Array): Uint8Array {
  let pos = 0;
  let total = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= src.length || shift > 28) throw corrupt("bad length preamble", pos);
    const b = src[pos++];
    total += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  const out = new Uint8Array(total);
  let op = 0;
  while (pos < src.length) {
    const tag = src[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const bytes = len - 59;
        if (pos + bytes > src.length) throw corrupt("truncated literal length", pos);
        len = 0;
        for (let i = 0; i < bytes; i++) len += src[pos + i] * 2 ** (8 * i);
        pos += bytes;
      }
      len += 1;
      if (pos + len > src.length || op + len > total) throw corrupt("literal overruns", pos);
      out.set(src.subarray(pos, pos + len), op);
      pos += len;
      op += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= src.length) throw corrupt("truncated copy", pos);
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | src[pos++];
    } else if (kind === 2) {
      if (pos + 2 > src.length) throw corrupt("truncated copy", pos);
      len = (tag >>> 2) + 1;
      offset = src[pos] | (src[pos + 1] << 8);
      pos += 2;
    } else {
      if (pos + 4 > src.length) throw corrupt("truncated copy", pos);
      len = (tag >>> 2) + 1;
      offset = load32(src, pos);
      pos += 4;
    }
    if (offset === 0 || offset > op || op + len > total) throw corrupt("bad copy offset", pos);
    // Byte by byte: a copy may overlap its own output (a run).
    for (let i = 0; i < len; i++, op++) out[op] = out[op - offset];
  }
  if (op !== total) throw corrupt(`length ${op} differs from preamble ${total}`, pos);
  return out;
}
