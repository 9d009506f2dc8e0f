/**
 * A Slack-compatible incoming webhook with the seed's message shape: a text line, and per alert
 * an attachment coloured by severity (`danger` critical, `warning` warning, `good` info or
 * resolved) with fields Resource, Value, Threshold and Time.
 */
import type { Alert, Notification } from "../alert.js";
import { formatValue } from "../template.js";
import { type AlertChannel, postJson } from "./channel.js";
import { isoTime, resourceOf } from "./format.js";

export interface SlackChannelOptions {
  name?: string;
  webhookUrl: string;
  /** Slack channel override (`#ops`), sent as `channel`. */
  channel?: string;
}

function color(a: Alert): string {
  if (a.status === "resolved") return "good";
  return a.severity === "critical" ? "danger" : a.severity === "warning" ? "warning" : "good";
}

function message(a: Alert): string {
  return (
    a.annotations.summary ??
    `${a.rule} ${a.status === "firing" ? "is firing" : "resolved"} for ${resourceOf(a)}`
  );
}

/** The Slack payload for `n`. */
export function slackPayload(n: Notification, channel?: string) {
  const firing = n.alerts.filter((a) => a.status === "firing").length;
  const head =
    firing > 0
      ? `🚨 Resource Alert: ${n.alerts.length === 1 ? message(n.alerts[0]) : `${firing} firing`}`
      : `✅ Resolved: ${n.alerts.length === 1 ? message(n.alerts[0]) : `${n.alerts.length} alerts`}`;
  return {
    ...(channel ? { channel } : {}),
    text: head,
    attachments: n.alerts.map((a) => ({
      color: color(a),
      title: `${a.status === "firing" ? "[FIRING]" : "[RESOLVED]"} ${a.rule}${a.flapping ? " (flapping)" : ""}`,
      text: message(a),
      fields: [
        { title: "Resource", value: resourceOf(a), short: true },
        { title: "Value", value: formatValue(a.value), short: true },
        { title: "Threshold", value: formatValue(a.threshold), short: true },
        { title: "Time", value: isoTime(a.status === "firing" ? a.startsAtMs : a.endsAtMs), short: true },
      ],
    })),
  };
}

export function createSlackChannel(options: SlackChannelOptions): AlertChannel {
  const name = options.name ?? "slack";
  return {
    name,
    send: (n, ctx) => postJson(name, options.webhookUrl, slackPayload(n, options.channel), ctx),
  };
}
