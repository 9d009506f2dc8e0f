/**
 * Prometheus Alertmanager, API v2: POST /api/v2/alerts with labels, annotations, `startsAt`,
 * `endsAt` and `generatorURL`. A firing alert's `endsAt` lies `ttl` ahead and is refreshed by
 * each resend, so the alerts of a sender that died expire in Alertmanager on their own.
 * Alertmanager groups and deduplicates itself, so the channel's `routeDefaults` (the same as
 * `alertmanagerRoute()`) make every alert its own group, resent every `resendInterval`.
 */
import type { Alert, Notification } from "../alert.js";
import type { ChannelRoute } from "../notifier.js";
import { type AlertChannel, postJson } from "./channel.js";
import { isoTime } from "./format.js";

export interface AlertmanagerChannelOptions {
  name?: string;
  /** Base URL, e.g. `http://127.0.0.1:9093`. */
  url: string;
  /** How long a firing alert stays valid without a resend (default 4 x 60 s). */
  ttlMs?: number;
  /** Link back to the rule; default `<externalUrl>/alerts?rule=<name>`. */
  generatorUrl?: (a: Alert) => string;
  externalUrl?: string;
  /** How often firing alerts are re-posted to refresh `endsAt` (default "1m"); keep it below `ttlMs`. */
  resendInterval?: string | number;
  now?: () => number;
}

/** The API v2 body for `n`. */
export function alertmanagerBody(n: Notification, options: Omit<AlertmanagerChannelOptions, "url"> = {}) {
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? 240_000;
  const base = options.externalUrl ?? "http://localhost";
  const gen = options.generatorUrl ?? ((a: Alert) => `${base}/alerts?rule=${encodeURIComponent(a.rule)}`);
  return n.alerts.map((a) => ({
    labels: a.labels,
    annotations: { ...a.annotations, value: String(a.value), threshold: String(a.threshold) },
    startsAt: isoTime(a.startsAtMs),
    endsAt: isoTime(a.status === "firing" ? now() + ttl : a.endsAtMs),
    generatorURL: gen(a),
  }));
}

export function createAlertmanagerChannel(options: AlertmanagerChannelOptions): AlertChannel {
  const name = options.name ?? "alertmanager";
  const url = `${options.url.replace(/\/+$/, "")}/api/v2/alerts`;
  const { channel: _, ...routeDefaults } = alertmanagerRoute(
    { name, send: async () => {} },
    options.resendInterval,
  );
  return {
    name,
    routeDefaults,
    send: (n, ctx) => postJson(name, url, alertmanagerBody(n, options), ctx),
  };
}

/** The route Alertmanager wants: no grouping, no wait, resend every `resendInterval` (default 1m). */
export function alertmanagerRoute(
  channel: AlertChannel,
  resendInterval: string | number = "1m",
): ChannelRoute {
  return {
    channel,
    groupBy: ["..."],
    groupWait: 0,
    groupInterval: resendInterval,
    repeatInterval: resendInterval,
    cooldown: 0,
    sendResolved: true,
  };
}
