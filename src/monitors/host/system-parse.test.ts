import assert from "node:assert/strict";
import { test } from "node:test";
import { DEBIAN12, EL6, fixture } from "./fixture-path.test-util.js";
import { parseFileNr, parseLoadavg, parseUptime, parseUtmp, UTMP_RECORD_SIZE } from "./system-parse.js";

test("loadavg, uptime and file-nr from two kernels", () => {
  assert.deepEqual(parseLoadavg(fixture(EL6, "proc/loadavg")), {
    load1: 1.05,
    load5: 0.7,
    load15: 0.5,
    running: 2,
    threads: 187,
  });
  assert.ok(parseLoadavg(fixture(DEBIAN12, "proc/loadavg")).threads > 0);
  assert.equal(parseUptime(fixture(EL6, "proc/uptime")).uptimeSeconds, 350735.47);
  assert.deepEqual(parseFileNr(fixture(EL6, "proc/sys/fs/file-nr")), { allocated: 2048, maximum: 185890 });
});

test("malformed system files are refused", () => {
  assert.throws(() => parseLoadavg("0.1 0.2\n"), /fields/);
  assert.throws(() => parseLoadavg("a b c 1/2 3\n"), /not a number/);
  assert.throws(() => parseLoadavg("0.1 0.2 0.3 1/2 3"), /truncated/);
  assert.throws(() => parseUptime(""), /empty/);
  assert.throws(() => parseFileNr("1 2\n"), /expected 3/);
});

test("parseUtmp counts distinct USER_PROCESS records", () => {
  const buf = new Uint8Array(UTMP_RECORD_SIZE * 3);
  const view = new DataView(buf.buffer);
  const put = (i: number, type: number, user: string) => {
    view.setInt32(i * UTMP_RECORD_SIZE, type, true);
    buf.set(new TextEncoder().encode(user), i * UTMP_RECORD_SIZE + 44);
  };
  put(0, 7, "alice");
  put(1, 7, "alice");
  put(2, 8, "bob"); // DEAD_PROCESS
  assert.deepEqual(parseUtmp(buf), ["alice"]);
  assert.throws(() => parseUtmp(new Uint8Array(100)), /multiple/);
});
