import assert from "node:assert/strict";
import { test } from "node:test";
import { createRegistry } from "../metrics/registry.js";
import { findValue } from "../metrics/snapshot.js";
import { registerAlertMetrics } from "./alert-metrics.js";
import { createCallbackChannel } from "./channels/callback-channel.js";
import { createAlertEngine } from "./engine.js";
import { createNotifier } from "./notifier.js";

test("alert states and channel failures are visible as metrics", async () => {
  const notifier = createNotifier({
    channels: [
      {
        channel: createCallbackChannel("down", () => {
          throw new Error("503");
        }),
        retry: { maxAttempts: 3 },
      },
    ],
    groupWait: 0,
    sleep: async () => {},
  });
  const engine = createAlertEngine({
    rules: [{ name: "High", metric: "m", op: ">", threshold: 1 }],
    notifier,
  });
  const registry = createRegistry();
  registerAlertMetrics(registry, { engine, notifier });
  await engine.evaluate({
    timestampMs: 1000,
    families: [
      { name: "m", help: "", unit: "", labelNames: [], type: "gauge", series: [{ labels: {}, value: 5 }] },
    ],
  });
  await notifier.idle();
  const snap = await registry.collect();
  assert.equal(findValue(snap, "headroom_alerts", { state: "firing" }), 1);
  assert.equal(findValue(snap, "headroom_alerts", { state: "pending" }), 0);
  assert.equal(findValue(snap, "headroom_alert_notifications_failed_total", { channel: "down" }), 1);
  assert.equal(findValue(snap, "headroom_alert_notification_failed_attempts_total", { channel: "down" }), 3);
  assert.equal(findValue(snap, "headroom_alert_notifications_total", { channel: "down" }), 0);
});
