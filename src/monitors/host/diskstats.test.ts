import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_DISK_EXCLUDE, parseDiskstats } from "./diskstats.js";
import { DEBIAN12, EL6, fixture } from "./fixture-path.test-util.js";

test("parseDiskstats reads the 14-field layout in bytes and seconds", () => {
  const d = parseDiskstats(fixture(EL6, "proc/diskstats"));
  const sda = d.find((x) => x.device === "sda");
  assert.equal(sda?.readBytes, 1337126 * 512);
  assert.equal(sda?.writeTimeSeconds, 1024.652);
  assert.equal(sda?.discardsCompleted, undefined);
  const kept = d.filter((x) => !DEFAULT_DISK_EXCLUDE.test(x.device)).map((x) => x.device);
  assert.deepEqual(kept, ["sda", "dm-0", "sr0"]);
});

test("parseDiskstats reads the 20-field layout (kernel 6.18 capture)", () => {
  const d = parseDiskstats(fixture(DEBIAN12, "proc/diskstats"));
  assert.ok(d.length > 0);
  assert.ok(d.every((x) => x.flushRequests !== undefined));
});

test("parseDiskstats refuses malformed lines", () => {
  assert.throws(() => parseDiskstats("8 0 sda 1 2 3\n"), /fields/);
  assert.throws(() => parseDiskstats("8 0 sda 1 2 3 4 5 6 7 8 9 10 x\n"), /unsigned/);
  assert.throws(() => parseDiskstats("8 0 sda 1 2 3 4 5 6 7 8 9 10 11"), /truncated/);
});

test("parseDiskstats reads the 18-field layout (4.18 to 5.4: discards, no flushes)", () => {
  const [d] = parseDiskstats("   8       0 sda 10 1 80 5 20 2 160 7 0 12 14 3 0 24 9\n");
  assert.equal(d.discardsCompleted, 3);
  assert.equal(d.discardedSectors, 24);
  assert.equal(d.discardTimeSeconds, 0.009);
  assert.equal(d.flushRequests, undefined);
});
