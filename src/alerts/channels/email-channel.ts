/**
 * Email over SMTP through nodemailer, with the seed's message: subject "Resource Alert" and a
 * body of message, severity, resource, value, threshold and time per alert. A permanent SMTP
 * rejection (5xx) is not retried; a transient one (4xx), a refused or dropped connection is.
 */
import nodemailer from "nodemailer";
import { ErrorCode, HeadroomError } from "../../errors.js";
import type { Alert, Notification } from "../alert.js";
import { formatValue } from "../template.js";
import type { AlertChannel } from "./channel.js";
import { isoTime, resourceOf } from "./format.js";

export interface EmailChannelOptions {
  name?: string;
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  /** Refuse to send without STARTTLS (default false, for loopback relays). */
  requireTls?: boolean;
  auth?: { user: string; pass: string };
  from: string;
  to: string[];
  /** Connection and socket timeouts (default 10 s). */
  timeoutMs?: number;
}

function block(a: Alert): string {
  return [
    `Resource Alert: ${a.annotations.summary ?? a.rule}`,
    `Alert: ${a.rule}`,
    `Status: ${a.status}${a.flapping ? " (flapping)" : ""}`,
    `Severity: ${a.severity}`,
    `Resource: ${resourceOf(a)}`,
    `Value: ${formatValue(a.value)}`,
    `Threshold: ${formatValue(a.threshold)}`,
    `Time: ${isoTime(a.status === "firing" ? a.startsAtMs : a.endsAtMs)}`,
  ].join("\n");
}

/** Subject and text body for `n`. */
export function emailMessage(n: Notification): { subject: string; text: string } {
  const firing = n.alerts.filter((a) => a.status === "firing").length;
  const what = n.alerts.length === 1 ? n.alerts[0].rule : `${n.alerts.length} alerts`;
  const subject = firing > 0 ? `Resource Alert: ${what} firing` : `Resource Alert resolved: ${what}`;
  return { subject, text: `${n.alerts.map(block).join("\n\n")}\n` };
}

export function createEmailChannel(options: EmailChannelOptions): AlertChannel {
  const name = options.name ?? "email";
  const timeout = options.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure ?? false,
    requireTLS: options.requireTls ?? false,
    ignoreTLS: options.requireTls ? false : undefined,
    auth: options.auth,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    tls: { rejectUnauthorized: options.host !== "127.0.0.1" && options.host !== "localhost" },
  });
  return {
    name,
    async send(n) {
      const { subject, text } = emailMessage(n);
      try {
        await transport.sendMail({ from: options.from, to: options.to, subject, text });
      } catch (cause) {
        const code = (cause as { responseCode?: number }).responseCode;
        throw new HeadroomError(
          ErrorCode.Unavailable,
          `[alerts:${name}] sending mail via ${options.host}:${options.port} failed: ${(cause as Error).message}`,
          { data: { responseCode: code, retryable: !(code !== undefined && code >= 500) }, cause },
        );
      }
    },
    async close() {
      transport.close();
    },
  };
}
