/**
 * Alerting benchmarks.
 *   alerts.eval10k         ms to evaluate 10,000 rule instances in one tick (10 rules x 1,000 series), target < 10 ms
 *   alerts.eval10k.window  the same with every rule averaging over a 5-minute window kept by the engine
 *   alerts.notify          notifications per second through the pipeline to a webhook on 127.0.0.1
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Alert, fingerprint } from "../src/alerts/alert.js";
import { createCallbackChannel } from "../src/alerts/channels/callback-channel.js";
import { createWebhookChannel } from "../src/alerts/channels/webhook-channel.js";
import { createAlertEngine } from "../src/alerts/engine.js";
import { createNotifier } from "../src/alerts/notifier.js";
import type { AlertRuleSpec } from "../src/alerts/rule.js";
import type { MetricFamily, MetricsSnapshot } from "../src/metrics/snapshot.js";
import { type BenchResult, higherIsBetter, lowerIsBetter, median, msPerCall } from "./lib.js";

const RULES = 10;
const SERIES = 1000;

function families(): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (let r = 0; r < RULES; r++) {
    const series = [];
    for (let i = 0; i < SERIES; i++) {
      // About 5% of the series sit above the threshold, so some instances fire.
      series.push({
        labels: Object.freeze({ instance: `host-${i}`, device: `d${i % 7}` }),
        value: (i * 37) % 100,
      });
    }
    out.push({
      name: `metric_${r}`,
      help: "",
      unit: "",
      labelNames: ["instance", "device"],
      type: "gauge",
      series,
    });
  }
  return out;
}

async function evalCase(windowed: boolean): Promise<number> {
  const fams = families();
  const rules: AlertRuleSpec[] = fams.map((f, r) => ({
    name: `Rule${r}`,
    metric: f.name,
    op: ">",
    threshold: 95,
    clear: { op: "<", threshold: 90 },
    for: "1m",
    labelNames: ["instance", "device"],
    annotations: { summary: "{{ $labels.instance }} at {{ $value }}" },
    ...(windowed ? { reduce: "avg" as const, window: "5m" } : {}),
  }));
  const notifier = createNotifier({ channels: [{ channel: createCallbackChannel("null", () => {}) }] });
  let t = Date.UTC(2026, 10, 22);
  const engine = createAlertEngine({ rules, notifier, now: () => t });
  const tick = async () => {
    t += 10_000;
    const snap: MetricsSnapshot = { timestampMs: t, families: fams };
    const r = await engine.evaluate(snap);
    if (r.evaluated !== RULES * SERIES) throw new Error(`evaluated ${r.evaluated}`);
  };
  // Fill the windows and pass `for`, so the timed ticks are the steady state.
  for (let i = 0; i < 40; i++) await tick();
  const ms = await msPerCall(tick, 31, 5);
  await notifier.close();
  return ms;
}

async function notifyCase(): Promise<number> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const N = 2000;
  const rates: number[] = [];
  let t = Date.UTC(2026, 10, 22);
  const notifier = createNotifier({
    channels: [{ channel: createWebhookChannel({ url }), groupBy: ["..."], groupWait: 0, groupInterval: 0 }],
    now: () => t,
  });
  for (let round = 0; round < 7; round++) {
    const batch: Alert[] = [];
    for (let i = 0; i < N; i++) {
      const labels = { alertname: "Bench", severity: "warning", instance: `h${i}`, round: String(round) };
      batch.push({
        fingerprint: fingerprint(labels),
        status: "firing",
        state: "firing",
        labels,
        annotations: { summary: "bench" },
        rule: "Bench",
        severity: "warning",
        value: 1,
        threshold: 0,
        startsAtMs: t,
        endsAtMs: 0,
        flapping: false,
      });
    }
    const before = received;
    const start = process.hrtime.bigint();
    t += 1000;
    notifier.update(batch);
    notifier.tick(t);
    await notifier.idle();
    const s = Number(process.hrtime.bigint() - start) / 1e9;
    if (received - before !== N) throw new Error(`received ${received - before} of ${N}`);
    if (round > 0) rates.push(N / s);
  }
  await notifier.close();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  return median(rates);
}

export async function run(): Promise<BenchResult[]> {
  return [
    lowerIsBetter("alerts.eval10k", "ms/tick", await evalCase(false)),
    lowerIsBetter("alerts.eval10k.window", "ms/tick", await evalCase(true)),
    higherIsBetter("alerts.notify", "notifications/s", await notifyCase()),
  ];
}
