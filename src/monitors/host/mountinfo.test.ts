import assert from "node:assert/strict";
import { test } from "node:test";
import { DEBIAN12, EL6, fixture } from "./fixture-path.test-util.js";
import { filterMounts, parseMountinfo } from "./mountinfo.js";

test("parseMountinfo decodes escapes and read-only flags; default exclusions match node_exporter", () => {
  const all = parseMountinfo(fixture(EL6, "proc/self/mountinfo"));
  assert.equal(all.find((m) => m.fsType === "nfs")?.mountPoint, "/mnt/nfs share");
  assert.equal(all.find((m) => m.fsType === "squashfs")?.readOnly, true);
  assert.deepEqual(
    filterMounts(all).map((m) => m.mountPoint),
    ["/", "/boot", "/mnt/nfs share"],
  );
  const deb = filterMounts(parseMountinfo(fixture(DEBIAN12, "proc/self/mountinfo")));
  assert.deepEqual(
    deb.map((m) => [m.mountPoint, m.fsType, m.device]),
    [["/", "ext4", "/dev/vda"]],
  );
});

test("parseMountinfo refuses malformed lines", () => {
  assert.throws(() => parseMountinfo("1 2 3\n"), /malformed/);
  assert.throws(() => parseMountinfo(""), /empty/);
});
