import assert from "node:assert/strict";
import { test } from "node:test";
import { assertGolden } from "../../test/fixtures/exporters/golden.js";
import { goldenSnapshot, nonFiniteSnapshot, T0 } from "../../test/fixtures/exporters/snapshots.js";
import { encodeInfluxLines, escapeKey, escapeMeasurement } from "./influx-line.js";

test("golden: line protocol for a snapshot of every family type", () => {
  const out = encodeInfluxLines(goldenSnapshot, { defaultTags: { host: "host-a" } });
  assert.equal(out.skipped, 0);
  assertGolden("influx.txt", out.body);
});

test("escaping: measurement, tag keys and values, field keys", () => {
  assert.equal(escapeMeasurement("cpu load,x"), "cpu\\ load\\,x");
  assert.equal(escapeMeasurement("a=b"), "a=b", "equals signs are legal in a measurement");
  assert.equal(escapeKey("a b,c=d"), "a\\ b\\,c\\=d");
  assert.equal(
    escapeKey("line\nbreak\r\ttab"),
    "line\\nbreak\\r\\ttab",
    "no raw control character reaches the wire",
  );
  assert.equal(escapeKey('say "hi"'), 'say\\ "hi"', "quotes need no escape in tags");
  assert.equal(escapeKey("温度 ü"), "温度\\ ü");
  assert.equal(escapeKey("ends\\"), "ends", "a trailing backslash cannot be written");
  assert.equal(escapeKey("mid\\dle"), "mid\\dle");
  const body = encodeInfluxLines(goldenSnapshot).body;
  for (const line of body.trimEnd().split("\n")) {
    assert.ok(!/[\r\t]/.test(line), `raw control character in ${JSON.stringify(line)}`);
  }
});

test("integers versus floats: values are always floats, counts always integers", () => {
  const body = encodeInfluxLines(goldenSnapshot).body;
  assert.match(
    body,
    /^node_cpu_seconds_total,cpu=0,mode=user value=17 /m,
    "a whole-number value stays a float",
  );
  assert.match(
    body,
    /^http_request_duration_seconds,route=\/api sum=4\.75,count=7i,0\.1=3i,0\.5=5i,1=6i,\+Inf=7i /m,
  );
  assert.match(body, /^rpc_duration_seconds sum=12\.5,count=900i,0\.5=0\.012,0\.99=0\.2 /m);
});

test("precision: ns, us, ms and s timestamps", () => {
  const line = (precision: "ns" | "us" | "ms" | "s") =>
    encodeInfluxLines(goldenSnapshot, { precision }).body.split("\n")[0].split(" ").at(-1);
  assert.equal(line("ns"), `${T0}000000`);
  assert.equal(line("us"), `${T0}000`);
  assert.equal(line("ms"), String(T0));
  assert.equal(line("s"), String(Math.floor(T0 / 1000)));
});

test("NaN and infinities are left out and counted; empty labels are absent", () => {
  const out = encodeInfluxLines(nonFiniteSnapshot);
  assert.equal(out.skipped, 3);
  assert.equal(out.lines, 1);
  assert.equal(out.body, `weird_values,kind=ok value=2 ${T0}000000\n`);
  assert.doesNotMatch(encodeInfluxLines(goldenSnapshot).body, /empty=/);
});

test("a series' own label wins over a default tag, and an empty snapshot encodes to nothing", () => {
  const body = encodeInfluxLines(goldenSnapshot, { defaultTags: { cpu: "default", host: "h" } }).body;
  assert.match(body, /node_cpu_seconds_total,cpu=0,host=h,mode=idle /);
  assert.deepEqual(encodeInfluxLines({ timestampMs: T0, families: [] }), {
    body: "",
    lines: 0,
    samples: 0,
    skipped: 0,
  });
});
