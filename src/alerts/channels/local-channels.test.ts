import assert from "node:assert/strict";
import { test } from "node:test";
import type { Notification } from "../alert.js";
import { createCallbackChannel } from "./callback-channel.js";
import { runChannelConformance, sampleNotification } from "./conformance.js";
import { createLogChannel } from "./log-channel.js";

runChannelConformance(
  "log",
  async () => {
    const lines: string[] = [];
    return {
      channel: createLogChannel({ write: (l) => lines.push(l) }),
      // One send writes one line per alert; the conformance suite counts sends.
      received: async () => {
        const firing = lines.filter((l) => l.includes("FIRING")).map((l) => l.split(" ")[3]);
        const resolved = lines.filter((l) => l.includes("RESOLVED")).map((l) => l.split(" ")[3]);
        return [
          ...(firing.length ? [{ status: "firing", alertnames: firing }] : []),
          ...(resolved.length ? [{ status: "resolved", alertnames: resolved }] : []),
        ];
      },
      close: async () => {},
    };
  },
  { canFail: false, canBeSlow: false },
);

runChannelConformance(
  "callback",
  async () => {
    const got: Notification[] = [];
    let mode: "ok" | "transient" | "permanent" | "slow" = "ok";
    return {
      channel: createCallbackChannel("app", async (n) => {
        if (mode === "permanent") throw Object.assign(new Error("rejected"), { data: { retryable: false } });
        if (mode === "transient") throw new Error("try later");
        if (mode === "slow") await new Promise((r) => setTimeout(r, 1500));
        got.push(n);
      }),
      received: async () => got.map((n) => ({ status: n.status, alertnames: n.alerts.map((a) => a.rule) })),
      fail: (m) => {
        mode = m;
      },
      slow: () => {
        mode = "slow";
      },
      close: async () => {},
    };
  },
  { canFail: true, canBeSlow: true },
);

test("log lines name status, severity, rule, resource, value and threshold", async () => {
  const lines: string[] = [];
  await createLogChannel({ write: (l) => lines.push(l) }).send(sampleNotification("log", "firing"), {
    signal: new AbortController().signal,
  });
  assert.deepEqual(lines, [
    "[alerts] FIRING critical HighCpu (cpu=0,instance=host-a): value 93.5, threshold 90 - CPU at 93.5% on host-a",
  ]);
});
