import assert from "node:assert/strict";
import { test } from "node:test";
import { DEBIAN12, EL6, fixture } from "./fixture-path.test-util.js";
import { memorySummary, parseMeminfo } from "./meminfo.js";

test("parseMeminfo names fields like node_exporter and converts kB to bytes", () => {
  const f = parseMeminfo(fixture(DEBIAN12, "proc/meminfo"));
  const get = (k: string) => f.find((x) => x.key === k);
  assert.equal(get("MemTotal")?.bytes, true);
  assert.equal((get("MemTotal")?.value ?? 0) % 1024, 0);
  assert.ok(get("Active_anon"), "Active(anon) becomes Active_anon");
  assert.equal(get("HugePages_Total")?.bytes, false);
  const s = memorySummary(f);
  assert.equal(s.usedBytes, s.totalBytes - s.availableBytes);
});

test("memorySummary estimates available on kernels without MemAvailable", () => {
  const s = memorySummary(parseMeminfo(fixture(EL6, "proc/meminfo")));
  assert.equal(s.totalBytes, 1922228 * 1024);
  assert.equal(s.availableBytes, (163048 + 145468 + 1020040 + 119088) * 1024);
  assert.equal(s.swapUsedBytes, 0);
  assert.equal(s.cachedBytes, 1020040 * 1024);
});

test("parseMeminfo refuses truncated, empty and garbage text", () => {
  assert.throws(() => parseMeminfo(""), /empty/);
  assert.throws(() => parseMeminfo("MemTotal:  100 kB\nMemFr"), /truncated/);
  assert.throws(() => parseMeminfo("MemTotal: lots kB\n"), /not an unsigned integer/);
  assert.throws(() => parseMeminfo("garbage line\n"), /malformed/);
  assert.throws(() => parseMeminfo("MemFree: 1 kB\n"), /no MemTotal/);
});
