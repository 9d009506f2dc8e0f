/**
 * Builds a channel route from plain config (the agent's `[[monitoring.alerting.channels]]`):
 * `type` is one of log, webhook, slack, email, alertmanager; the other keys are the channel's own
 * (camelCase or the snake_case spelling). Throws HR_CONFIG naming the channel and the field.
 */
import { ErrorCode, HeadroomError } from "../../errors.js";
import { parseDuration } from "../duration.js";
import type { ChannelRoute, RouteOptions } from "../notifier.js";
import { alertmanagerRoute, createAlertmanagerChannel } from "./alertmanager-channel.js";
import { createEmailChannel } from "./email-channel.js";
import { createLogChannel } from "./log-channel.js";
import { createSlackChannel } from "./slack-channel.js";
import { createWebhookChannel } from "./webhook-channel.js";

export interface ChannelConfig {
  type: string;
  name?: string;
  [key: string]: unknown;
}

const ALIASES: Record<string, string> = {
  webhook_url: "webhookUrl",
  max_alerts: "maxAlerts",
  require_tls: "requireTls",
  group_by: "groupBy",
  group_wait: "groupWait",
  group_interval: "groupInterval",
  repeat_interval: "repeatInterval",
  send_resolved: "sendResolved",
  resend_interval: "resendInterval",
  external_url: "externalUrl",
};

export function channelFromConfig(input: ChannelConfig, log?: (line: string) => void): ChannelRoute {
  const c: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input ?? {})) c[ALIASES[k] ?? k] = v;
  const type = String(c.type ?? "");
  const name = typeof c.name === "string" && c.name ? c.name : type;
  const bad = (field: string, what: string): never => {
    throw new HeadroomError(ErrorCode.Config, `[alerts] channel "${name}" field "${field}": ${what}`, {
      data: { channel: name, field, value: c[field] },
    });
  };
  const url = (field: string): string => {
    const v = c[field];
    if (typeof v !== "string") return bad(field, "required");
    let protocol = "";
    try {
      protocol = new URL(v).protocol;
    } catch {
      bad(field, `not a URL: "${v}"`);
    }
    if (protocol !== "http:" && protocol !== "https:") bad(field, `expected an http(s) URL, got "${v}"`);
    return v;
  };
  const str = (field: string): string =>
    typeof c[field] === "string" && c[field] ? (c[field] as string) : bad(field, "required");
  const route: RouteOptions = {};
  if (c.groupBy !== undefined) {
    if (!Array.isArray(c.groupBy) || !c.groupBy.every((x) => typeof x === "string"))
      bad("groupBy", "expected a list of labels");
    route.groupBy = c.groupBy as string[];
  }
  for (const f of ["groupWait", "groupInterval", "repeatInterval", "cooldown"] as const) {
    if (c[f] !== undefined) route[f] = parseDuration(c[f], `channel "${name}" field "${f}"`);
  }
  if (c.sendResolved !== undefined) route.sendResolved = c.sendResolved === true;
  switch (type) {
    case "log":
      return { ...route, channel: createLogChannel({ name, write: log }) };
    case "webhook":
      return {
        ...route,
        channel: createWebhookChannel({
          name,
          url: url("url"),
          headers: c.headers as Record<string, string> | undefined,
          maxAlerts: typeof c.maxAlerts === "number" ? c.maxAlerts : undefined,
        }),
      };
    case "slack":
      return {
        ...route,
        channel: createSlackChannel({
          name,
          webhookUrl: url(c.webhookUrl !== undefined ? "webhookUrl" : "url"),
          channel: c.channel as string | undefined,
        }),
      };
    case "email": {
      const port = Number(c.port ?? 25);
      if (!Number.isInteger(port) || port < 1 || port > 65535) bad("port", `not a port: ${String(c.port)}`);
      const to = typeof c.to === "string" ? [c.to] : c.to;
      if (
        !Array.isArray(to) ||
        to.length === 0 ||
        !to.every((x) => typeof x === "string" && x.includes("@"))
      ) {
        bad("to", "expected one or more addresses");
      }
      const user = c.username ?? c.user;
      return {
        ...route,
        channel: createEmailChannel({
          name,
          host: str("host"),
          port,
          from: str("from"),
          to: to as string[],
          secure: c.secure === true,
          requireTls: c.requireTls === true,
          auth: typeof user === "string" ? { user, pass: String(c.password ?? c.pass ?? "") } : undefined,
        }),
      };
    }
    case "alertmanager": {
      const channel = createAlertmanagerChannel({
        name,
        url: url("url"),
        externalUrl: typeof c.externalUrl === "string" ? c.externalUrl : undefined,
      });
      const resend =
        c.resendInterval === undefined
          ? "1m"
          : parseDuration(c.resendInterval, `channel "${name}" field "resendInterval"`);
      return alertmanagerRoute(channel, resend);
    }
    default:
      return bad(
        "type",
        `unknown channel type "${type}" (expected log, webhook, slack, email or alertmanager)`,
      );
  }
}
