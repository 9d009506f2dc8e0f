import assert from "node:assert/strict";
import { test } from "node:test";
import { DEBIAN12, fixture } from "./fixture-path.test-util.js";
import { parsePidStat, parsePidStatus, parseStatm } from "./pid-stat.js";

test("parsePidStat splits after the last parenthesis", () => {
  const s = parsePidStat(fixture(DEBIAN12, "proc/1/stat"));
  assert.equal(s.pid, 1);
  assert.equal(s.comm, "init");
  const tricky = "42 (a) b) (c) R 1 42 42 0 -1 0 0 0 0 0 150 50 0 0 20 0 3 0 777 1000 25 0\n";
  const t = parsePidStat(tricky);
  assert.equal(t.comm, "a) b) (c");
  assert.equal(t.state, "R");
  assert.equal(t.cpuSeconds, 2);
  assert.equal(t.threads, 3);
  assert.equal(t.startTicks, 777);
  assert.equal(t.residentPages, 25);
});

test("statm and status parse; malformed per-process files are refused", () => {
  assert.ok(parseStatm(fixture(DEBIAN12, "proc/1/statm")).residentPages > 0);
  const st = parsePidStatus(fixture(DEBIAN12, "proc/1/status"));
  assert.equal(st.name, "init");
  assert.ok((st.rssBytes ?? 0) > 0);
  assert.throws(() => parsePidStat("42 (x R 1\n"), /comm/);
  assert.throws(() => parsePidStat("42 (x) R 1 2\n"), /fields/);
  assert.throws(() => parsePidStat(""), /empty/);
  assert.throws(() => parseStatm("1 2\n"), /expected 7/);
  assert.throws(() => parsePidStatus("State: R\n"), /no Name/);
});
