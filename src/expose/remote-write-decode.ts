/**
 * Reads a remote-write 1.0 body back: snappy block, then `WriteRequest`. For receiving
 * remote write (tests, a local relay) and for checking what the encoder wrote. Unknown fields
 * are skipped as protobuf requires; malformed input throws HR_PARSE.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { snappyUncompress } from "./snappy.js";

export interface DecodedSeries {
  /** Labels in wire order (sorted by name, `__name__` included). */
  readonly labels: [string, string][];
  readonly samples: { value: number; timestampMs: number }[];
}

export interface DecodedMetadata {
  readonly type: number;
  readonly name: string;
  readonly help: string;
  readonly unit: string;
}

export interface DecodedWriteRequest {
  readonly timeseries: DecodedSeries[];
  readonly metadata: DecodedMetadata[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function fail(what: string, at: number): HeadroomError {
  return new HeadroomError(ErrorCode.Parse, `[remote-write] malformed WriteRequest: ${what} at byte ${at}`, {
    data: { at },
  });
}

class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  varint(): number {
    let result = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (this.pos >= this.end) throw fail("truncated varint", this.pos);
      const b = this.buf[this.pos++];
      if (shift < 53) result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
    }
    throw fail("varint too long", this.pos);
  }

  /** int64 that may be negative (10-byte two's complement). */
  int64(): number {
    const start = this.pos;
    let v = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) throw fail("truncated varint", this.pos);
      const b = this.buf[this.pos++];
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return Number(BigInt.asIntN(64, v));
    }
    throw fail("varint too long", start);
  }

  sub(): Reader {
    const len = this.varint();
    if (this.pos + len > this.end) throw fail("length past end", this.pos);
    const r = new Reader(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return r;
  }

  string(): string {
    const r = this.sub();
    try {
      return utf8.decode(this.buf.subarray(r.pos, r.end));
    } catch {
      throw fail("invalid UTF-8", r.pos);
    }
  }

  double(): number {
    if (this.pos + 8 > this.end) throw fail("truncated double", this.pos);
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.sub();
    else if (wire === 5) this.pos += 4;
    else throw fail(`unsupported wire type ${wire}`, this.pos);
    if (this.pos > this.end) throw fail("field past end", this.pos);
  }

  each(fn: (field: number, wire: number) => boolean): void {
    while (this.pos < this.end) {
      const key = this.varint();
      const field = Math.floor(key / 8);
      const wire = key & 7;
      if (!fn(field, wire)) this.skip(wire);
    }
  }
}

function readSeries(r: Reader): DecodedSeries {
  const series: DecodedSeries = { labels: [], samples: [] };
  r.each((field, wire) => {
    if (field === 1 && wire === 2) {
      const l = r.sub();
      let name = "";
      let value = "";
      l.each((f, w) => {
        if (w !== 2 || (f !== 1 && f !== 2)) return false;
        if (f === 1) name = l.string();
        else value = l.string();
        return true;
      });
      series.labels.push([name, value]);
      return true;
    }
    if (field === 2 && wire === 2) {
      const s = r.sub();
      const sample = { value: 0, timestampMs: 0 };
      s.each((f, w) => {
        if (f === 1 && w === 1) sample.value = s.double();
        else if (f === 2 && w === 0) sample.timestampMs = s.int64();
        else return false;
        return true;
      });
      series.samples.push(sample);
      return true;
    }
    return false;
  });
  return series;
}

function readMetadata(r: Reader): DecodedMetadata {
  const m = { type: 0, name: "", help: "", unit: "" };
  r.each((field, wire) => {
    if (field === 1 && wire === 0) m.type = r.varint();
    else if (field === 2 && wire === 2) m.name = r.string();
    else if (field === 4 && wire === 2) m.help = r.string();
    else if (field === 5 && wire === 2) m.unit = r.string();
    else return false;
    return true;
  });
  return m;
}

/** Decodes an uncompressed WriteRequest. */
export function decodeWriteRequestBytes(bytes: Uint8Array): DecodedWriteRequest {
  const out: DecodedWriteRequest = { timeseries: [], metadata: [] };
  const r = new Reader(bytes, 0, bytes.length);
  r.each((field, wire) => {
    if (field === 1 && wire === 2) out.timeseries.push(readSeries(r.sub()));
    else if (field === 3 && wire === 2) out.metadata.push(readMetadata(r.sub()));
    else return false;
    return true;
  });
  return out;
}

/** Decodes a remote-write request body (snappy block, then WriteRequest). */
export function decodeRemoteWrite(body: Uint8Array): DecodedWriteRequest {
  return decodeWriteRequestBytes(snappyUncompress(body));
}
