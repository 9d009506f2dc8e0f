import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { isHeadroomError } from "../../errors.js";
import { MIB } from "./gpu-sample.js";
import { createNvidiaProvider, type NvidiaProvider } from "./nvidia-provider.js";
import { runVramProviderConformance } from "./vram-provider-conformance.js";

// The fake nvidia-smi (test/fixtures/bin) replays output recorded on an H100; no GPU is needed.
const fixtures = fileURLToPath(new URL("../../../test/fixtures/", import.meta.url));
process.env.PATH = `${join(fixtures, "bin")}:${process.env.PATH}`;
const work = mkdtempSync(join(tmpdir(), "headroom-nvidia-"));
after(() => rmSync(work, { recursive: true, force: true }));

const smi = (extra: Parameters<typeof createNvidiaProvider>[0] = {}) =>
  createNvidiaProvider({ backend: "nvidia-smi", intervalMs: 100, startTimeoutMs: 3000, ...extra });

async function withMode<T>(mode: string, fn: () => Promise<T>): Promise<T> {
  process.env.FAKE_NVIDIA_SMI_MODE = mode;
  try {
    return await fn();
  } finally {
    delete process.env.FAKE_NVIDIA_SMI_MODE;
  }
}

test("auto on a machine without NVML falls back to nvidia-smi and says why", async () => {
  const p = createNvidiaProvider({ intervalMs: 100, libraryPath: join(work, "missing-libnvidia-ml.so.1") });
  try {
    const s = await p.start();
    assert.equal(s.available, true);
    assert.equal(s.backend, "nvidia-smi");
    assert.match(s.nvmlReason ?? "", /could not be loaded/);
    const sample = await p.sample();
    assert.equal(sample.devices.length, 1);
    const d = sample.devices[0];
    assert.equal(d.name, "NVIDIA H100 80GB HBM3");
    assert.equal(d.memoryUsedBytes, 3059 * MIB);
    assert.equal(d.powerDrawW, 699.21);
    assert.equal(d.smClockMhz, 1365);
    assert.equal(p.getVramCapacityMb(), 81559);
  } finally {
    await p.close();
  }
});

test("nvidia-smi loop mode reports per-process GPU memory from the apps loop", async () => {
  const p = smi();
  try {
    let procs: readonly { pid: number; name: string; usedBytes: number | undefined }[] = [];
    for (let i = 0; i < 50 && procs.length === 0; i++) {
      procs = (await p.sample()).devices[0].processes;
      if (procs.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(procs, [{ pid: 429, name: "python3", usedBytes: 3050 * MIB }]);
  } finally {
    await p.close();
  }
});

test("an idle GPU: no processes, zero memory used", async () => {
  process.env.FAKE_NVIDIA_SMI_STATE = "idle";
  const p = smi();
  try {
    await p.start();
    await new Promise((r) => setTimeout(r, 300));
    const [d] = (await p.sample()).devices;
    assert.equal(d.memoryUsedBytes, 0);
    assert.equal(d.utilizationGpu, 0);
    assert.equal(d.powerDrawW, 70.68);
    assert.deepEqual(d.processes, []);
    assert.equal(p.getVramUsageMb(), 0);
  } finally {
    delete process.env.FAKE_NVIDIA_SMI_STATE;
    await p.close();
  }
});

test("a missing nvidia-smi, one that fails at once, and no NVML: not available with the reason", async () => {
  const missing = createNvidiaProvider({
    smiCommand: join(work, "no-such-nvidia-smi"),
    libraryPath: "/nonexistent.so",
  });
  const s = await missing.start();
  assert.equal(s.available, false);
  assert.match(s.reason ?? "", /NVML: .*could not be loaded.*nvidia-smi: .*ENOENT/);
  await assert.rejects(
    missing.sample(),
    (e) => isHeadroomError(e, "HR_UNAVAILABLE") && /ENOENT/.test(e.message),
  );
  await missing.close();

  await withMode("nodriver", async () => {
    const p = smi();
    const st = await p.start();
    assert.equal(st.available, false);
    assert.match(st.reason ?? "", /exited with code 9: NVIDIA-SMI has failed/);
    await p.close();
  });
  const onlyNvml = createNvidiaProvider({ backend: "nvml", libraryPath: "/nonexistent.so" });
  assert.match((await onlyNvml.start()).reason ?? "", /^NVML: /);
  await onlyNvml.close();
});

test("a crashing nvidia-smi fails samples with its message, then restarts after the backoff", async () => {
  await withMode("crash", async () => {
    let t = 0;
    const p = smi({ now: () => Date.now() + t });
    try {
      assert.equal((await p.start()).available, true);
      // Wait (polling, not a fixed sleep) until the child's exit has been seen.
      for (let i = 0; i < 100; i++) {
        const failed = await p.sample().then(
          () => false,
          () => true,
        );
        if (failed && p.status().processesReason !== undefined) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await assert.rejects(
        p.sample(),
        (e) =>
          isHeadroomError(e, "HR_UNAVAILABLE") && /exited with code 3: Unable to determine/.test(e.message),
      );
      assert.match(p.status().processesReason ?? "", /exited with code 3/);
      t += 10_000;
      await p.sample().catch(() => undefined);
      assert.equal(p.status().restarts, 1);
    } finally {
      await p.close();
    }
  });
});

test("malformed lines are counted and skipped; a silent nvidia-smi times out", async () => {
  await withMode("garbage", async () => {
    const p = smi();
    try {
      assert.equal((await p.start()).available, true);
      const sample = await p.sample();
      assert.equal(sample.devices[0].memoryUsedBytes, 3059 * MIB);
      assert.ok((p.status().badLines ?? 0) >= 1);
    } finally {
      await p.close();
    }
  });
  await withMode("hang", async () => {
    const p = smi({ startTimeoutMs: 300 });
    const s = await p.start();
    assert.equal(s.available, false);
    assert.match(s.reason ?? "", /no valid line from nvidia-smi within 300 ms/);
    await p.close();
  });
});

test("NVML through koffi, against a stand-in libnvidia-ml built from test/fixtures/nvidia/fake-nvml.c", async (t) => {
  const lib = join(work, "libnvidia-ml.so.1");
  try {
    execFileSync("cc", ["-shared", "-fPIC", "-o", lib, join(fixtures, "nvidia", "fake-nvml.c")]);
  } catch {
    t.diagnostic("no C compiler here; the binding's marshalling is not exercised");
    return;
  }
  const p = createNvidiaProvider({ libraryPath: lib, processName: (pid) => `proc${pid}` });
  try {
    assert.deepEqual(await p.start(), { available: true, backend: "nvml" });
    const [d] = (await p.sample()).devices;
    assert.equal(d.uuid, "GPU-78d16c80-117f-35d5-f954-ef186cc924bd");
    assert.equal(d.memoryUsedBytes, 3710713856);
    assert.equal(d.utilizationMemory, 32);
    assert.equal(d.powerDrawW, 696.348);
    assert.equal(d.powerLimitW, undefined, "NVML_ERROR_NOT_SUPPORTED leaves the field undefined");
    assert.equal(d.memClockMhz, 2619);
    assert.deepEqual(d.processes, [{ pid: 429, name: "proc429", usedBytes: 3198156800 }]);
    process.env.FAKE_NVML_PROCS = "20";
    const many = (await p.sample()).devices[0].processes;
    assert.equal(many.length, 20, "a buffer too small is grown and the call retried");
    assert.equal(many[1].usedBytes, undefined, "NVML_VALUE_NOT_AVAILABLE");
  } finally {
    delete process.env.FAKE_NVML_PROCS;
    await p.close();
  }
  for (const [flag, procs] of [
    ["-DFAKE_NVML_V2_ONLY", 1],
    ["-DFAKE_NVML_NO_PROCS", 0],
  ] as const) {
    const variant = join(work, `libnvidia-ml${flag}.so`);
    execFileSync("cc", ["-shared", "-fPIC", flag, "-o", variant, join(fixtures, "nvidia", "fake-nvml.c")]);
    const older = createNvidiaProvider({ backend: "nvml", libraryPath: variant });
    try {
      assert.equal((await older.start()).backend, "nvml", flag);
      const [dev] = (await older.sample()).devices;
      assert.equal(dev.processes.length, procs, flag);
      assert.equal(dev.memoryUsedBytes, 3710713856);
    } finally {
      await older.close();
    }
  }
  process.env.FAKE_NVML_INIT_RC = "9";
  const failing = createNvidiaProvider({ backend: "nvml", libraryPath: lib });
  try {
    assert.match((await failing.start()).reason ?? "", /nvmlInit_v2 failed: Driver Not Loaded \(9\)/);
  } finally {
    delete process.env.FAKE_NVML_INIT_RC;
    await failing.close();
  }
});

const used = join(work, "used-mib");
runVramProviderConformance("nvidia provider over nvidia-smi", async () => {
  writeFileSync(used, "3059");
  process.env.FAKE_NVIDIA_SMI_USED = used;
  const p: NvidiaProvider = smi({ intervalMs: 50 });
  await p.start();
  return {
    provider: p,
    setUsageMb: async (mb) => {
      writeFileSync(used, String(mb));
      // Wait until the loop printed the new value.
      for (let i = 0; i < 100; i++) {
        await p.refresh();
        if (p.getVramUsageMb() === mb) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: async () => {
      delete process.env.FAKE_NVIDIA_SMI_USED;
      await p.close();
    },
  };
});
