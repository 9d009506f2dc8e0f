/**
 * The conformance suite every AlertStateStore runs: empty load, round trip (NaN values and
 * all), overwrite, and a restart through a second store on the same backing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { AlertStateStore, PersistedAlertState } from "../state-store.js";

export function sampleState(savedAtMs: number): PersistedAlertState {
  return {
    version: 1,
    savedAtMs,
    instances: [
      {
        rule: "HighCpu:warning",
        labels: { cpu: "0" },
        notified: "firing",
        state: {
          state: "firing",
          activeAtMs: 1000,
          firedAtMs: 2000,
          resolvedAtMs: 0,
          lastActiveMs: 3000,
          lastSeenMs: 3000,
          value: 93.5,
          flapTimes: [2000],
          flapping: false,
        },
      },
    ],
    notificationLog: [
      { key: "rec\u0000{}", firing: ["abc"], states: ["firing"], resolved: [], sentAtMs: 2000 },
    ],
    silences: [
      {
        id: "s1",
        matchers: [{ name: "cpu", op: "=", value: "0" }],
        startsAtMs: 0,
        endsAtMs: 9000,
        createdBy: "ops",
        comment: "c",
        createdAtMs: 0,
      },
    ],
  };
}

/** `open()` returns a store over the same backing each time (a "restart"). */
export function runStateStoreConformance(
  label: string,
  open: () => AlertStateStore & { close?: () => void },
): void {
  test(`${label}: conformance: empty, round trip, overwrite, reopen`, async () => {
    const a = open();
    assert.equal(await a.load(), undefined);
    await a.save(sampleState(1));
    assert.deepEqual(await a.load(), sampleState(1));
    await a.save(sampleState(2));
    assert.equal((await a.load())?.savedAtMs, 2);
    a.close?.();
    const b = open();
    assert.deepEqual(await b.load(), sampleState(2));
    b.close?.();
  });
}
