/**
 * Makes the alerting pipeline visible in the registry: instances per state, and per channel the
 * notifications delivered, given up, failed attempts and deliveries in flight. Values are copied
 * from `engine.alerts()` and `notifier.stats()` just before each collect.
 */
import type { Registry } from "../metrics/registry.js";
import type { AlertEngine } from "./engine.js";
import type { Notifier } from "./notifier.js";
import type { AlertState } from "./state-machine.js";

const STATES: readonly AlertState[] = ["pending", "firing", "resolved", "nodata", "error"];

export function registerAlertMetrics(
  registry: Registry,
  source: { engine?: AlertEngine; notifier?: Notifier },
): void {
  const instances = registry.gauge({
    name: "headroom_alerts",
    help: "Alert instances by state (inactive ones are not counted).",
    labelNames: ["state"],
  });
  const flapping = registry.gauge({
    name: "headroom_alerts_flapping",
    help: "Alert instances marked flapping.",
  });
  const sent = registry.counter({
    name: "headroom_alert_notifications_total",
    help: "Notifications a channel accepted.",
    labelNames: ["channel"],
  });
  const failed = registry.counter({
    name: "headroom_alert_notifications_failed_total",
    help: "Notifications given up after the last retry or a non-retryable error.",
    labelNames: ["channel"],
  });
  const attempts = registry.counter({
    name: "headroom_alert_notification_failed_attempts_total",
    help: "Delivery attempts that failed, retried or not.",
    labelNames: ["channel"],
  });
  const inFlight = registry.gauge({
    name: "headroom_alert_notifications_in_flight",
    help: "Deliveries started and not finished.",
    labelNames: ["channel"],
  });
  registry.registerCollector(
    () => {
      if (source.engine) {
        const counts = new Map<string, number>(STATES.map((s) => [s, 0]));
        let flaps = 0;
        for (const a of source.engine.alerts()) {
          counts.set(a.state, (counts.get(a.state) ?? 0) + 1);
          if (a.flapping) flaps++;
        }
        for (const [state, n] of counts) instances.set({ state }, n);
        flapping.set(flaps);
      }
      for (const s of source.notifier?.stats() ?? []) {
        const channel = s.channel;
        sent.setTotal({ channel }, s.sent);
        failed.setTotal({ channel }, s.failed);
        attempts.setTotal({ channel }, s.failedAttempts);
        inFlight.set({ channel }, s.inFlight);
      }
    },
    { name: "alerts" },
  );
}
