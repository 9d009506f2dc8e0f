import assert from "node:assert/strict";
import { test } from "node:test";
import { isHeadroomError } from "../errors.js";
import { snappyCompress, snappyUncompress } from "./snappy.js";

const utf8 = new TextEncoder();

function roundTrip(input: Uint8Array): Uint8Array {
  const compressed = snappyCompress(input);
  assert.deepEqual(snappyUncompress(compressed), input);
  return compressed;
}

test("round-trips empty, tiny, text, repetitive, random and multi-block inputs", () => {
  assert.deepEqual([...snappyCompress(new Uint8Array(0))], [0]);
  roundTrip(utf8.encode("a"));
  roundTrip(utf8.encode("hello world, hello world, hello world"));
  const repetitive = utf8.encode('node_cpu_seconds_total{cpu="0",mode="idle"} '.repeat(5000));
  const c = roundTrip(repetitive);
  assert.ok(c.length < repetitive.length / 10, `compressed ${c.length} of ${repetitive.length}`);
  let seed = 42;
  const random = Uint8Array.from({ length: 200_000 }, () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 24;
  });
  const r = roundTrip(random);
  assert.ok(r.length <= 32 + random.length + random.length / 6, "stays within the format's worst-case bound");
  // Long runs across the 64 KiB block boundary and matches longer than 64 bytes.
  roundTrip(new Uint8Array(150_000).fill(7));
});

test("decodes a block written by the reference encoder's rules (literal then 1- and 2-byte-offset copies)", () => {
  // "abcdabcdabcdXYZ" = varint 15, literal "abcd", copy1 len 8 offset 4, literal "XYZ".
  const block = Uint8Array.from([15, 3 << 2, 97, 98, 99, 100, ((8 - 4) << 2) | 1, 4, 2 << 2, 88, 89, 90]);
  assert.equal(new TextDecoder().decode(snappyUncompress(block)), "abcdabcdabcdXYZ");
  // copy2: varint 8, literal "ab", copy2 len 6 offset 2.
  const block2 = Uint8Array.from([8, 1 << 2, 97, 98, ((6 - 1) << 2) | 2, 2, 0]);
  assert.equal(new TextDecoder().decode(snappyUncompress(block2)), "abababab");
});

test("rejects corrupt input with HR_PARSE", () => {
  const bad = [
    Uint8Array.from([]), // no preamble
    Uint8Array.from([0x80]), // truncated preamble
    Uint8Array.from([5, 4 << 2, 1, 2]), // literal runs past the end
    Uint8Array.from([4, ((4 - 4) << 2) | 1, 9]), // copy before any output
    Uint8Array.from([10, 0, 97]), // shorter than the preamble says
    Uint8Array.from([2, 60 << 2]), // truncated literal length
  ];
  for (const input of bad) {
    assert.throws(
      () => snappyUncompress(input),
      (err) => isHeadroomError(err, "HR_PARSE"),
    );
  }
});
