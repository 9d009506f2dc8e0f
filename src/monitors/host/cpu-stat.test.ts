import assert from "node:assert/strict";
import { test } from "node:test";
import { cpuBusyRatio, parseCpuinfo, parseStat } from "./cpu-stat.js";
import { DEBIAN12, EL6, fixture } from "./fixture-path.test-util.js";

test("parseStat reads per-core and total times in seconds (kernel 6.18 capture)", () => {
  const s = parseStat(fixture(DEBIAN12, "proc/stat"));
  assert.equal(s.cpus.length, 2);
  assert.deepEqual(
    s.cpus.map((c) => c.cpu),
    [0, 1],
  );
  assert.equal(s.total.user, 193.63);
  assert.equal(s.total.steal, 0.14);
  assert.ok(s.bootTime && s.bootTime > 1e9);
  assert.ok((s.contextSwitches ?? 0) > 0);
  assert.ok((s.forks ?? 0) > 0);
});

test("parseStat accepts a 2.6.32 layout without guest_nice", () => {
  const s = parseStat(fixture(EL6, "proc/stat"));
  assert.equal(s.total.guestNice, 0);
  assert.equal(s.total.iowait, 62.9);
  assert.equal(s.cpus[1].times.softirq, 0.18);
  assert.equal(s.intr, 114930548);
  assert.equal(s.bootTime, 1062191376);
  assert.equal(s.procsRunning, 1);
});

test("parseStat refuses empty, truncated and garbage text", () => {
  assert.throws(() => parseStat(""), /empty/);
  assert.throws(() => parseStat("cpu  1 2 3 4 5 6 7 8 0 0\ncpu0 1 2"), /truncated/);
  assert.throws(() => parseStat("cpu  1 2 x 4 5 6 7 8 0 0\n"), /not an unsigned integer/);
  assert.throws(() => parseStat("intr 5\n"), /no aggregate cpu line/);
  assert.throws(() => parseStat("cpu 1 2\n"), /only 2 cpu fields/);
  assert.throws(() => parseStat("\u0000\u0001garbage\n"), /no aggregate/);
});

test("cpuBusyRatio counts steal as busy and iowait as idle, like psutil", () => {
  const base = {
    user: 0,
    nice: 0,
    system: 0,
    idle: 0,
    iowait: 0,
    irq: 0,
    softirq: 0,
    steal: 0,
    guest: 0,
    guestNice: 0,
  };
  const next = { ...base, user: 2, idle: 4, iowait: 2, steal: 2, guest: 1 };
  assert.equal(cpuBusyRatio(base, next), 0.4);
  assert.equal(cpuBusyRatio(base, base), undefined);
  assert.equal(cpuBusyRatio(next, base), undefined, "counters going backwards give no reading");
});

test("parseCpuinfo gives the frequency per processor", () => {
  const c = parseCpuinfo(fixture(DEBIAN12, "proc/cpuinfo"));
  assert.equal(c.length, 2);
  assert.ok((c[0].mhz ?? 0) > 100);
  assert.throws(() => parseCpuinfo("processor\t: x\n"), /processor/);
});
