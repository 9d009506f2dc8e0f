import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { createRegistry } from "../../metrics/registry.js";
import { findValue } from "../../metrics/snapshot.js";
import { cgroupDirs, detectCgroupLayout, parseProcCgroup } from "./cgroup-layout.js";
import { CgroupMonitor } from "./cgroup-monitor.js";
import { parseBlkio, parseCpuMax, parseFlatKeyed, parseIoStat, parseLimit } from "./cgroup-parse.js";
import { readCgroupStats, readEffectiveLimits } from "./cgroup-stats.js";

const FIX = fileURLToPath(new URL("../../../test/fixtures/cgroup/", import.meta.url));
const V1 = `${FIX}v1-hybrid`;
const V2 = `${FIX}v2`;

function dirsOf(root: string, cgroupText?: string) {
  const layout = detectCgroupLayout(readFileSync(`${root}/proc/self/mountinfo`, "latin1"));
  const proc = parseProcCgroup(cgroupText ?? readFileSync(`${root}/proc/self/cgroup`, "latin1"));
  return { layout, dirs: cgroupDirs(layout, proc, root) };
}

test("layout detection: this hybrid host, and a pure v2 host", () => {
  const { layout } = dirsOf(V1);
  assert.equal(layout.mode, "hybrid");
  assert.equal(layout.v1.get("memory"), "/sys/fs/cgroup/memory");
  assert.equal(layout.v2, "/sys/fs/cgroup/unified");
  const v2 = dirsOf(V2);
  assert.equal(v2.layout.mode, "v2");
  assert.equal(v2.dirs.v2, `${V2}/sys/fs/cgroup/system.slice/docker-f00d.scope`);
  assert.equal(detectCgroupLayout("1 0 8:1 / / rw - cgroup cgroup rw,memory\n").mode, "v1");
  assert.throws(() => detectCgroupLayout("1 0 8:1 / / rw - ext4 /dev/sda rw\n"), /no cgroup/);
});

test("v1 (captured from a real cgroup with a 0.5 CPU quota and 256 MiB limit)", () => {
  const { dirs } = dirsOf(V1);
  const s = readCgroupStats(dirs);
  assert.equal(s.cpuQuotaUs, 50000);
  assert.equal(s.cpuPeriodUs, 100000);
  assert.equal(s.memoryLimitBytes, 268435456);
  assert.equal(s.cpuUsageSeconds, 0.646836532);
  assert.equal(s.memoryWorkingSetBytes, 20733952 - 20000768);
  assert.equal(s.memoryCacheBytes, 20000768);
  assert.equal(s.pidsLimit, 64);
  assert.deepEqual(s.io, [
    { device: "8:0", readBytes: 4096000, writeBytes: 20000768, reads: 100, writes: 40 },
  ]);
  assert.deepEqual(readEffectiveLimits(dirs), { cpuCores: 0.5, memoryBytes: 268435456 });
});

test("the v1 no-limit sentinel is not a size", () => {
  const { dirs } = dirsOf(V1, "4:memory:/docker/unlimited\n");
  const s = readCgroupStats(dirs);
  assert.equal(s.memoryLimitBytes, undefined);
  assert.equal(s.memoryUsageBytes, 1048576);
  assert.equal(readEffectiveLimits(dirs).memoryBytes, undefined);
  assert.equal(parseLimit("9223372036854771712\n", "x"), undefined);
  assert.equal(parseLimit("max\n", "x"), undefined);
  assert.equal(parseLimit("-1\n", "x"), undefined);
});

test("v2: cpu.stat, memory.stat, io.stat, pids, pressure, and limits inherited from the parent slice", () => {
  const { dirs } = dirsOf(V2);
  const s = readCgroupStats(dirs);
  assert.equal(s.cpuUsageSeconds, 12.5);
  assert.equal(s.cpuThrottledPeriods, 25);
  assert.equal(s.cpuThrottledSeconds, 1.5);
  assert.equal(s.memoryLimitBytes, undefined, "memory.max is max on the container itself");
  assert.equal(s.memoryWorkingSetBytes, 104857600 - 31457280);
  assert.equal(s.memoryRssBytes, 52428800);
  assert.equal(s.io.length, 2);
  assert.equal(s.pidsCurrent, 7);
  assert.equal(s.pressure.cpu?.full?.totalSeconds, 1);
  assert.deepEqual(readEffectiveLimits(dirs), { cpuCores: 0.5, memoryBytes: 1073741824 });
});

test("cAdvisor-named series per container; a broken cgroup is skipped and its series dropped", async () => {
  const v1 = dirsOf(V1).dirs;
  const v2 = dirsOf(V2).dirs;
  const garbage = mkdtempSync(join(tmpdir(), "headroom-cg-"));
  writeFileSync(join(garbage, "memory.current"), "garbage\n");
  const broken = { v1: new Map(), v1Roots: new Map(), v2: garbage, v2Root: garbage };
  const registry = createRegistry();
  let list = [
    { id: "/docker/abc123", name: "web", image: "nginx", dirs: v1 },
    { id: "/system.slice/docker-f00d.scope", name: "db", image: "pg", dirs: v2 },
    { id: "/broken", name: "broken", image: "x", dirs: broken },
  ];
  const m = new CgroupMonitor(registry, { targets: () => list });
  await m.update();
  let s = registry.snapshot();
  assert.equal(findValue(s, "container_spec_memory_limit_bytes", { name: "web" }), 268435456);
  assert.equal(findValue(s, "container_spec_memory_limit_bytes", { name: "db" }), undefined);
  assert.equal(findValue(s, "container_memory_working_set_bytes", { name: "db" }), 73400320);
  assert.equal(findValue(s, "container_cpu_usage_seconds_total", { name: "db" }), 12.5);
  assert.equal(findValue(s, "container_fs_writes_bytes_total", { name: "web", device: "8:0" }), 20000768);
  assert.equal(findValue(s, "container_pressure_cpu_stalled_seconds_total", { name: "db" }), 1);
  assert.ok((findValue(s, "headroom_container_memory_usage_percent", { name: "web" }) ?? 0) > 0);
  assert.deepEqual(
    m.lastErrors().map((e) => e.id),
    ["/broken"],
  );
  assert.match(m.lastErrors()[0].error, /memory.current/);
  assert.equal(findValue(s, "container_memory_usage_bytes", { name: "broken" }), undefined);
  list = [list[0]];
  await m.update();
  s = registry.snapshot();
  assert.equal(
    findValue(s, "container_cpu_usage_seconds_total", { name: "db" }),
    undefined,
    "gone container dropped",
  );
  rmSync(garbage, { recursive: true, force: true });
});

test("malformed cgroup files are refused", () => {
  assert.throws(() => parseFlatKeyed("rss\n", "memory.stat"), /malformed/);
  assert.throws(() => parseFlatKeyed("rss 12", "memory.stat"), /truncated/);
  assert.throws(() => parseFlatKeyed("rss -1\n", "memory.stat"), /unsigned/);
  assert.throws(() => parseCpuMax("fifty 100000\n"), /quota/);
  assert.throws(() => parseIoStat("sda rbytes=1\n"), /device/);
  assert.throws(() => parseIoStat("8:0 rbytes\n"), /field/);
  assert.throws(() => parseBlkio("8:0 Read x\n", "blkio"), /unsigned/);
  assert.throws(() => parseProcCgroup("garbage\n"), /malformed/);
  assert.throws(() => parseLimit("\n", "memory.max"), /unsigned/);
});
