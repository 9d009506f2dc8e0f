import assert from "node:assert/strict";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import { ResourceTracker } from "./resource-tracker.js";

const workerUrl = new URL("../../test/fixtures/history/tracker-worker.ts", import.meta.url);
// Workers do not inherit the TypeScript loader; the worker imports the script through tsx's API.
const workerCode = `import { tsImport } from "tsx/esm/api"; await tsImport(${JSON.stringify(workerUrl.href)}, ${JSON.stringify(import.meta.url)});`;

test("samples recorded from several worker threads at once all reach the one tracker", async () => {
  const tracker = new ResourceTracker({ now: () => 1_700_000_000_000 });
  const a = tracker.track("worker_threads", "thread");
  const b = tracker.track("jobs", "custom");
  const layout = tracker.createSharedChannel(256); // small, so producers must wait for the consumer
  const count = 5000;
  const workers = Array.from(
    { length: 4 },
    () =>
      new Worker(workerCode, {
        eval: true,
        workerData: { layout, ids: [tracker.sharedId(a), tracker.sharedId(b)], count },
      }),
  );
  const drainer = setInterval(() => tracker.drainShared(), 1);
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once("error", reject);
            w.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`worker exit ${code}`))));
          }),
      ),
    );
  } finally {
    clearInterval(drainer);
  }
  tracker.drainShared();
  for (const name of ["worker_threads", "jobs"]) {
    const s = tracker.getStats(name);
    assert.equal(s.count, 4 * count, `${name}: ${s.count} samples`);
    assert.equal(s.average, (count + 1) / 2);
    assert.equal(s.min, 1);
    assert.equal(s.max, count);
  }
  assert.equal(tracker.droppedSamples, 0);
});
