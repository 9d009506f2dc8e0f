/** The README's library examples, run as written (against in-memory parts) so they stay true. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AcquisitionMode,
  createHistoryStoreForReadme,
  createHostMonitors,
  createMonitorRegistry,
  createMonitorScheduler,
  createRegistry,
  createResourceManager,
  encodePrometheusText,
  ResourceTracker,
  ResourceType,
} from "./readme-imports.js";

async function handle() {}

test("README: metrics", async () => {
  const registry = createRegistry();
  const requests = registry.counter({
    name: "http_requests_total",
    help: "HTTP requests by method, route and status.",
    labelNames: ["method", "route", "status"],
  });
  const latency = registry.timer({
    name: "http_request_duration_seconds",
    help: "Latency.",
    labelNames: ["route"],
  });
  const ok = requests.labels({ method: "GET", route: "/", status: "200" });
  ok.inc();
  requests.inc({ method: "POST", route: "/orders", status: "201" });
  {
    using _t = latency.start({ route: "/" });
    await handle();
  }
  const text = encodePrometheusText(registry.snapshot());
  assert.match(text, /http_requests_total\{method="GET",route="\/",status="200"\} 1/);
  assert.match(text, /http_request_duration_seconds_count\{route="\/"\} 1/);
});

test("README: monitors", async () => {
  const registry = createRegistry();
  const monitors = createMonitorRegistry();
  for (const m of createHostMonitors(registry, { procfs: "/proc", sysfs: "/sys", rootfs: "/" })) {
    monitors.registerResourceMonitor(m);
  }
  const scheduler = createMonitorScheduler(monitors, { intervalMs: 1000, metrics: registry });
  await scheduler.tick();
  await monitors.closeAll();
  assert.ok(registry.get("node_cpu_seconds_total"));
});

test("README: tracker", () => {
  const registry = createRegistry();
  const history = createHistoryStoreForReadme();
  const tracker = new ResourceTracker({ registry, history });
  const queue = tracker.track("job_queue", "custom");
  const alerts: string[] = [];
  tracker.setThreshold("job_queue", 1000, (alert) => alerts.push(alert.message), {
    hysteresis: 100,
    cooldownMs: 60_000,
  });
  tracker.recordUsage(queue, 1200);
  assert.equal(tracker.getStats("job_queue").current, 1200);
  assert.match(tracker.generateReport("CSV"), /job_queue/);
  assert.deepEqual(tracker.findLeakSuspects(), []);
  assert.equal(alerts.length, 1);
});

test("README: resource manager", () => {
  const registry = createRegistry();
  const manager = createResourceManager({ platform: { effectiveMemoryBytes: 8 * 2 ** 30 }, registry });
  manager.setBudget(ResourceType.Memory, {
    maxBytes: 2 ** 30,
    reservedBytes: 2 ** 27,
    warningPercent: 70,
    criticalPercent: 90,
  });
  const levels: unknown[] = [];
  manager.registerPressureCallback((level) => levels.push(level));
  const result = manager.acquireResource(
    "texture-cache",
    { type: ResourceType.Memory, sizeBytes: 64 * 2 ** 20 },
    AcquisitionMode.NonBlocking,
  );
  assert.ok(result.ok);
  if (result.ok) {
    using _ref = result.value;
  }
});
