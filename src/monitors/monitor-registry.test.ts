import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode, isHeadroomError } from "../errors.js";
import { createMonitorRegistry } from "./monitor-registry.js";
import { emptyUsageReport, MonitoredResourceType, type ResourceMonitor } from "./resource-monitor.js";

interface Special extends ResourceMonitor {
  special(): number;
}

function monitor(id: string, extra: Partial<Special> = {}): ResourceMonitor & Partial<Special> {
  return {
    monitorId: () => id,
    resourceType: () => MonitoredResourceType.Custom,
    getUsageReport: () => emptyUsageReport,
    update() {},
    ...extra,
  };
}

test("registers, looks up typed, lists in order and unregisters with close()", async () => {
  const reg = createMonitorRegistry();
  let closed = 0;
  reg.registerResourceMonitor(monitor("a"));
  reg.registerResourceMonitor(monitor("b", { special: () => 7, close: () => void closed++ }));
  assert.deepEqual(
    reg.getRegisteredMonitors().map((m) => m.monitorId()),
    ["a", "b"],
  );
  const isSpecial = (m: ResourceMonitor): m is Special => typeof (m as Special).special === "function";
  assert.equal(reg.getRegisteredMonitor("b", isSpecial)?.special(), 7);
  assert.equal(reg.getRegisteredMonitor("a", isSpecial), undefined);
  assert.equal(reg.getRegisteredMonitor("missing"), undefined);
  assert.equal(await reg.unregisterResourceMonitor("b"), true);
  assert.equal(closed, 1);
  assert.equal(await reg.unregisterResourceMonitor("b"), false);
});

test("a duplicate id throws HR_ALREADY_REGISTERED carrying the existing monitor", () => {
  const reg = createMonitorRegistry();
  const first = reg.registerResourceMonitor(monitor("x"));
  assert.throws(
    () => reg.registerResourceMonitor(monitor("x")),
    (err: unknown) => isHeadroomError(err, ErrorCode.AlreadyRegistered) && err.data?.existing === first,
  );
  assert.throws(() => reg.registerResourceMonitor(monitor("")), /monitorId/);
});

test("closeAll closes every monitor even when one close throws", async () => {
  const reg = createMonitorRegistry();
  let closed = 0;
  reg.registerResourceMonitor(
    monitor("a", {
      close: () => {
        throw new Error("boom");
      },
    }),
  );
  reg.registerResourceMonitor(monitor("b", { close: async () => void closed++ }));
  await reg.closeAll();
  assert.equal(closed, 1);
  assert.equal(reg.getRegisteredMonitors().length, 0);
});
