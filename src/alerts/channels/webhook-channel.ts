/**
 * A generic webhook: POSTs one JSON document per notification. The body is Alertmanager's
 * webhook format (version "4"), so receivers written for Alertmanager work unchanged, with
 * Headroom's extra per-alert fields:
 *
 * ```json
 * { "version": "4", "receiver": "ops", "status": "firing", "groupKey": "{alertname=\"HighCpu\",}",
 *   "groupLabels": {...}, "commonLabels": {...}, "commonAnnotations": {...}, "externalURL": "",
 *   "truncatedAlerts": 0,
 *   "alerts": [{ "status": "firing", "labels": {...}, "annotations": {...},
 *                "startsAt": "2026-11-22T10:00:00.000Z", "endsAt": "0001-01-01T00:00:00Z",
 *                "generatorURL": "", "fingerprint": "a1b2...",
 *                "value": 93.5, "threshold": 90, "state": "firing", "flapping": false }] }
 * ```
 */
import type { Alert, Notification } from "../alert.js";
import { type AlertChannel, postJson } from "./channel.js";
import { isoTime } from "./format.js";

export interface WebhookChannelOptions {
  name?: string;
  url: string;
  headers?: Record<string, string>;
  /** At most this many alerts per body; the rest are counted in `truncatedAlerts` (default 0: all). */
  maxAlerts?: number;
  externalUrl?: string;
}

const ZERO_TIME = "0001-01-01T00:00:00Z";

function commonAnnotations(alerts: readonly Alert[]): Record<string, string> {
  if (alerts.length === 0) return {};
  const out: Record<string, string> = { ...alerts[0].annotations };
  for (const a of alerts) for (const k of Object.keys(out)) if (a.annotations[k] !== out[k]) delete out[k];
  return out;
}

/** The JSON body for `n` (exported for receivers' tests and the documentation). */
export function webhookBody(n: Notification, options: { maxAlerts?: number; externalUrl?: string } = {}) {
  const max = options.maxAlerts && options.maxAlerts > 0 ? options.maxAlerts : n.alerts.length;
  const alerts = n.alerts.slice(0, max);
  return {
    version: "4",
    receiver: n.receiver,
    status: n.status,
    groupKey: n.groupKey,
    groupLabels: n.groupLabels,
    commonLabels: n.commonLabels,
    commonAnnotations: commonAnnotations(n.alerts),
    externalURL: options.externalUrl ?? "",
    truncatedAlerts: n.alerts.length - alerts.length,
    alerts: alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: isoTime(a.startsAtMs),
      endsAt: a.endsAtMs ? isoTime(a.endsAtMs) : ZERO_TIME,
      generatorURL: "",
      fingerprint: a.fingerprint,
      value: Number.isFinite(a.value) ? a.value : null,
      threshold: a.threshold,
      state: a.state,
      flapping: a.flapping,
    })),
  };
}

export function createWebhookChannel(options: WebhookChannelOptions): AlertChannel {
  const name = options.name ?? "webhook";
  return {
    name,
    send: (n, ctx) => postJson(name, options.url, webhookBody(n, options), ctx, options.headers),
  };
}
