/**
 * The conformance suite every notification channel runs: it delivers firing and resolved
 * notifications, reports a failing receiver as a rejection the notifier can classify, and honours
 * the pipeline's timeout. Each channel's test file calls `runChannelConformance` with a harness.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Alert, Notification } from "../alert.js";
import { fingerprint } from "../alert.js";
import { defaultRetry, deliver } from "../delivery.js";
import type { AlertChannel } from "./channel.js";

export interface ChannelHarness {
  readonly channel: AlertChannel;
  /** The alert names of each delivery the receiver accepted so far, with the delivery's status text. */
  received(): Promise<{ status: string; alertnames: string[] }[]>;
  /** Makes the receiver fail from now on (`permanent`: a 4xx/5xx rejection; `transient`: retryable). */
  fail?(mode: "transient" | "permanent"): void;
  /** Makes the receiver answer slower than 1 s. */
  slow?(): void;
  close(): Promise<void>;
}

export function sampleAlert(status: "firing" | "resolved", name = "HighCpu"): Alert {
  const labels = { alertname: name, severity: "critical", cpu: "0", instance: "host-a" };
  return {
    fingerprint: fingerprint(labels),
    status,
    state: status,
    labels,
    annotations: { summary: `CPU at 93.5% on host-a` },
    rule: name,
    severity: "critical",
    value: 93.5,
    threshold: 90,
    startsAtMs: Date.UTC(2026, 10, 22, 10, 0, 0),
    endsAtMs: status === "resolved" ? Date.UTC(2026, 10, 22, 10, 5, 0) : 0,
    flapping: false,
  };
}

export function sampleNotification(
  receiver: string,
  status: "firing" | "resolved",
  names = ["HighCpu"],
): Notification {
  const alerts = names.map((n) => sampleAlert(status, n));
  return {
    receiver,
    status,
    groupKey: '{alertname="HighCpu",}',
    groupLabels: { alertname: names[0] },
    commonLabels: { severity: "critical" },
    alerts,
    timestampMs: Date.now(),
  };
}

const ctx = () => ({ signal: new AbortController().signal });

/** `canFail` / `canBeSlow`: whether the harness provides `fail` / `slow` (a log channel cannot fail). */
export function runChannelConformance(
  label: string,
  make: () => Promise<ChannelHarness>,
  features: { canFail: boolean; canBeSlow: boolean },
): void {
  test(`${label}: conformance: has a name and delivers a firing notification`, async () => {
    const h = await make();
    try {
      assert.ok(h.channel.name.length > 0);
      await h.channel.send(sampleNotification(h.channel.name, "firing"), ctx());
      const got = await h.received();
      assert.equal(got.length, 1);
      assert.deepEqual(got[0].alertnames, ["HighCpu"]);
    } finally {
      await h.close();
    }
  });

  test(`${label}: conformance: delivers resolved notifications and several alerts at once`, async () => {
    const h = await make();
    try {
      await h.channel.send(sampleNotification(h.channel.name, "resolved", ["HighCpu", "HighMem"]), ctx());
      const got = await h.received();
      assert.equal(got.length, 1);
      assert.deepEqual([...got[0].alertnames].sort(), ["HighCpu", "HighMem"]);
      assert.match(got[0].status, /resolved/i);
    } finally {
      await h.close();
    }
  });

  if (features.canFail) {
    test(`${label}: conformance: a failing receiver rejects, classified retryable or not`, async () => {
      const h = await make();
      try {
        h.fail!("permanent");
        const err = await h.channel.send(sampleNotification(h.channel.name, "firing"), ctx()).then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(err instanceof Error, "send must reject");
        assert.equal((err as { data?: { retryable?: boolean } }).data?.retryable, false);
        h.fail!("transient");
        const err2 = await h.channel.send(sampleNotification(h.channel.name, "firing"), ctx()).then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(err2 instanceof Error, "send must reject");
        assert.notEqual((err2 as { data?: { retryable?: boolean } }).data?.retryable, false);
      } finally {
        await h.close();
      }
    });
  }
  if (features.canBeSlow) {
    test(`${label}: conformance: a slow receiver is cut off by the pipeline's timeout`, async () => {
      const h = await make();
      try {
        h.slow!();
        const out = await deliver(
          h.channel,
          sampleNotification(h.channel.name, "firing"),
          { ...defaultRetry, maxAttempts: 1, timeoutMs: 300 },
          { sleep: async () => {}, random: () => 0.5 },
        );
        assert.equal(out.ok, false);
        assert.match(out.error ?? "", /timed out/);
      } finally {
        await h.close();
      }
    });
  }
}
