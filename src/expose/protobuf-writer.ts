/**
 * A minimal protobuf (proto3) writer: just the wire types the push encoders need (varint,
 * 64-bit double, length-delimited strings and nested messages). Hand-written rather than a
 * generated codec because a remote-write body is three small message types and the encoder
 * runs on every flush; no `node:` import, so it works in a browser or worker too.
 */

const utf8 = new TextEncoder();

/**
 * Appends protobuf fields to a growing byte buffer. Nested messages are written in place:
 * `begin(field)` reserves one length byte and `end(mark)` patches it, moving the body only in
 * the rare case that it is 128 bytes or longer.
 */
export class ProtoWriter {
  #buf: Uint8Array;
  #view: DataView;
  #pos = 0;

  constructor(initialSize = 4096) {
    this.#buf = new Uint8Array(initialSize);
    this.#view = new DataView(this.#buf.buffer);
  }

  get length(): number {
    return this.#pos;
  }

  #ensure(extra: number): void {
    const need = this.#pos + extra;
    if (need <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  /** Unsigned varint of a non-negative integer up to 2^53. */
  varint(value: number): void {
    this.#ensure(10);
    const buf = this.#buf;
    let pos = this.#pos;
    while (value >= 0x80) {
      buf[pos++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    buf[pos++] = value;
    this.#pos = pos;
  }

  tag(field: number, wireType: 0 | 1 | 2 | 5): void {
    this.varint(field * 8 + wireType);
  }

  /** An int64 field; negative values take the 10-byte two's-complement form protobuf requires. */
  int64(field: number, value: number): void {
    this.tag(field, 0);
    if (value >= 0) {
      this.varint(value);
      return;
    }
    // Two's complement over 64 bits, written 7 bits at a time with BigInt (rare path: times before 1970).
    let v = BigInt.asUintN(64, BigInt(Math.trunc(value)));
    this.#ensure(10);
    while (v >= 0x80n) {
      this.#buf[this.#pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.#buf[this.#pos++] = Number(v);
  }

  double(field: number, value: number): void {
    this.tag(field, 1);
    this.#ensure(8);
    this.#view.setFloat64(this.#pos, value, true);
    this.#pos += 8;
  }

  string(field: number, value: string): void {
    this.tag(field, 2);
    const n = value.length;
    // ASCII fast path (metric and label names always, most label values): one byte per char,
    // so the length is known up front and no encoder call or subarray is needed.
    if (n < 0x80) {
      this.#ensure(n + 1);
      const buf = this.#buf;
      let pos = this.#pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        buf[pos++] = c;
      }
      if (i === n) {
        buf[this.#pos] = n;
        this.#pos = pos;
        return;
      }
    }
    // UTF-8 is at most 3 bytes per UTF-16 unit; reserve the worst case, then write in place.
    const max = n * 3;
    const mark = this.begin(field, false);
    this.#ensure(max);
    const { written } = utf8.encodeInto(value, this.#buf.subarray(this.#pos, this.#pos + max));
    this.#pos += written;
    this.end(mark);
  }

  /** Appends bytes already in protobuf form (a cached run of fields). */
  raw(bytes: Uint8Array): void {
    this.#ensure(bytes.length);
    this.#buf.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  /** Starts a length-delimited field; returns the mark to hand to `end`. */
  begin(field: number, writeTag = true): number {
    if (writeTag) this.tag(field, 2);
    this.#ensure(1);
    const mark = this.#pos;
    this.#pos += 1;
    return mark;
  }

  /** Closes the field opened at `mark`, writing its length varint in front of its body. */
  end(mark: number): void {
    const bodyStart = mark + 1;
    const len = this.#pos - bodyStart;
    if (len < 0x80) {
      this.#buf[mark] = len;
      return;
    }
    let extra = 0;
    for (let v = len; v >= 0x80; v = Math.floor(v / 0x80)) extra++;
    this.#ensure(extra);
    this.#buf.copyWithin(bodyStart + extra, bodyStart, this.#pos);
    this.#pos += extra;
    let v = len;
    let p = mark;
    while (v >= 0x80) {
      this.#buf[p++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.#buf[p] = v;
  }

  /** The bytes written so far (a copy, so the writer can be reused). */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#pos);
  }
}
