import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { MISSING_RECHECK_MS, ProcFiles } from "./proc-file.js";

test("ProcFiles re-reads an open file from offset 0 and grows past its first buffer", () => {
  const dir = mkdtempSync(join(tmpdir(), "headroom-procfile-"));
  try {
    const files = new ProcFiles(dir);
    writeFileSync(join(dir, "stat"), "a 1\n");
    assert.equal(files.read("stat"), "a 1\n");
    const long = "x".repeat(10_000);
    writeFileSync(join(dir, "stat"), long);
    assert.equal(files.read("stat"), long);
    files.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("ProcFiles.readOptional takes a missing file as missing until the recheck delay has passed", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "headroom-procfile-"));
  try {
    let now = 1000;
    t.mock.method(performance, "now", () => now);
    const files = new ProcFiles(dir);
    assert.equal(files.readOptional("pressure/cpu"), undefined);
    writeFileSync(join(dir, "cpu"), "some avg10=0.00\n");
    assert.equal(files.readOptional("cpu"), "some avg10=0.00\n");
    // The earlier miss is remembered: a file that appears is seen at the next recheck.
    now += 1;
    assert.equal(files.readOptional("missing"), undefined);
    writeFileSync(join(dir, "missing"), "2\n");
    assert.equal(files.readOptional("missing"), undefined);
    now += MISSING_RECHECK_MS;
    assert.equal(files.readOptional("missing"), "2\n");
    // Errors other than a missing file still throw.
    assert.throws(() => files.readOptional(""), /EISDIR/);
    files.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
