import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Registry } from "../../metrics/registry.js";
import { DEBIAN12 } from "./fixture-path.test-util.js";
import { MISSING_RECHECK_MS } from "./proc-file.js";
import { SystemMonitor } from "./system-monitor.js";
import { UTMP_RECORD_SIZE } from "./system-parse.js";

function utmpWithUser(user: string): Uint8Array {
  const buf = new Uint8Array(UTMP_RECORD_SIZE);
  new DataView(buf.buffer).setInt32(0, 7, true); // USER_PROCESS
  buf.set(new TextEncoder().encode(user), 44);
  return buf;
}

test("SystemMonitor reports no users while utmp is missing and finds it at the next recheck", (t) => {
  const rootfs = mkdtempSync(join(tmpdir(), "headroom-rootfs-"));
  try {
    let now = 1000;
    t.mock.method(performance, "now", () => now);
    const monitor = new SystemMonitor(new Registry(), {
      roots: { procfs: `${DEBIAN12}/proc`, rootfs },
      processCount: () => 1,
    });
    monitor.update();
    assert.equal(monitor.getSystemMetrics()?.users, undefined);
    mkdirSync(join(rootfs, "run"));
    writeFileSync(join(rootfs, "run/utmp"), utmpWithUser("alice"));
    monitor.update();
    assert.equal(monitor.getSystemMetrics()?.users, undefined, "the miss is remembered until the recheck");
    now += MISSING_RECHECK_MS;
    monitor.update();
    assert.equal(monitor.getSystemMetrics()?.users, 1);
    monitor.close();
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
});
