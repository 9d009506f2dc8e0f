import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { CliIo } from "./io.js";
import { runCli } from "./program.js";
import { createStyle } from "./style.js";

function captureIo(
  env: Record<string, string | undefined> = {},
): CliIo & { stdout: () => string; stderr: () => string } {
  let out = "";
  let err = "";
  return {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    env: { HOME: tmpdir(), ...env },
    isTty: false,
    style: createStyle(false),
    stdout: () => out,
    stderr: () => err,
  };
}

test("--version, --help with exit codes, unknown commands and options", async () => {
  let io = captureIo();
  assert.equal(await runCli(["--version"], io), 0);
  assert.match(io.stdout(), /^\d+\.\d+\.\d+/);
  io = captureIo();
  assert.equal(await runCli(["--help"], io), 0);
  assert.match(io.stdout(), /Exit codes:/);
  for (const cmd of ["start", "snapshot", "top", "report", "alerts", "check"]) {
    io = captureIo();
    assert.equal(await runCli([cmd, "--help"], io), 0, cmd);
    assert.match(io.stdout(), /Usage: headroom/, cmd);
  }
  io = captureIo();
  assert.equal(await runCli(["strat"], io), 2);
  assert.match(io.stderr(), /unknown command 'strat'[\s\S]*start/);
  io = captureIo();
  assert.equal(await runCli(["check", "--bogus"], io), 2);
  io = captureIo();
  assert.equal(await runCli(["report", "--format", "xml"], io), 2);
});

test("check: valid, missing, malformed and typo'd config files", async () => {
  const dir = mkdtempSync(join(tmpdir(), "headroom-cli-"));
  try {
    const good = join(dir, "good.toml");
    writeFileSync(good, '[monitoring]\ncolection_interval = "5s"\n');
    let io = captureIo();
    assert.equal(await runCli(["check", "--config", good], io), 0);
    assert.match(io.stdout(), /is valid/);
    assert.match(io.stderr(), /did you mean "collection_interval"/);
    io = captureIo();
    assert.equal(await runCli(["check", "--config", join(dir, "none.toml")], io), 2);
    assert.match(io.stderr(), /none\.toml: no such file/);
    const bad = join(dir, "bad.toml");
    writeFileSync(bad, "[monitoring\n");
    io = captureIo();
    assert.equal(await runCli(["check", "--config", bad], io), 2);
    assert.match(io.stderr(), /bad\.toml:\d+:\d+: not valid TOML/);
    io = captureIo();
    assert.equal(await runCli(["start", "--config", good, "--port", "99999"], io), 2);
    assert.match(io.stderr(), /--port: expected 0 to 65535/);
    io = captureIo();
    assert.equal(await runCli(["start", "--config", good, "--address", "0.0.0.0"], io), 2);
    assert.match(io.stderr(), /reachable from other hosts/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("check --limits exits 3 when a limit is exceeded", async () => {
  const dir = mkdtempSync(join(tmpdir(), "headroom-cli-"));
  try {
    const file = join(dir, "limits.toml");
    writeFileSync(
      file,
      "[resource_limits]\nmax_cpu_usage_percent = 0\nmax_memory_usage_percent = 0\nmax_disk_usage_percent = 0\n",
    );
    const io = captureIo();
    const code = await runCli(["check", "--config", file, "--limits"], io);
    // Without host monitors every usage is "no data" and passes; with them, 0% limits are exceeded.
    if (/no data[\s\S]*no data[\s\S]*no data/.test(io.stdout())) assert.equal(code, 0);
    else {
      assert.equal(code, 3);
      assert.match(io.stderr(), /exceeds the limit of 0\.0%/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("report, alerts and top say clearly when the agent is not running", async () => {
  for (const args of [["report"], ["alerts"], ["top"]]) {
    const io = captureIo();
    assert.equal(await runCli([...args, "--url", "http://127.0.0.1:1"], io), 4, args[0]);
    assert.match(io.stderr(), /cannot reach the agent at http:\/\/127\.0\.0\.1:1/);
  }
  const io = captureIo();
  assert.equal(
    await runCli(
      ["alerts", "silence", "--url", "http://127.0.0.1:1", "-m", "novalue", "--duration", "1h"],
      io,
    ),
    2,
  );
  assert.match(io.stderr(), /--matcher: expected label=value/);
});

test("snapshot --json prints one sample", async () => {
  const io = captureIo();
  assert.equal(await runCli(["snapshot", "--json"], io), 0);
  const snap = JSON.parse(io.stdout());
  assert.ok(snap.families.some((f: { name: string }) => f.name === "headroom_agent_resident_memory_bytes"));
});

test("snapshot --path.procfs/--path.sysfs read another root, as node_exporter's flags do (issue 3)", async () => {
  const root = new URL("../../test/fixtures/host/el6-k2.6.32/", import.meta.url).pathname;
  const io = captureIo();
  const code = await runCli(
    [
      "snapshot",
      "--json",
      "--path.procfs",
      `${root}proc`,
      "--path.sysfs",
      `${root}sys`,
      "--path.rootfs",
      root,
    ],
    io,
  );
  assert.equal(code, 0, io.stderr());
  const snap = JSON.parse(io.stdout());
  const load1 = snap.families.find((f: { name: string }) => f.name === "node_load1");
  assert.equal(load1?.series[0].value, 1.05);
});

test("the config file's [path] section sets the same roots", async () => {
  const dir = mkdtempSync(join(tmpdir(), "headroom-path-"));
  const root = new URL("../../test/fixtures/host/el6-k2.6.32/", import.meta.url).pathname;
  const file = join(dir, "headroom.toml");
  writeFileSync(file, `[path]\nprocfs = "${root}proc"\nsysfs = "${root}sys"\n`);
  const io = captureIo();
  try {
    assert.equal(await runCli(["snapshot", "--json", "--config", file], io), 0, io.stderr());
    const snap = JSON.parse(io.stdout());
    assert.equal(snap.families.find((f: { name: string }) => f.name === "node_load1")?.series[0].value, 1.05);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
