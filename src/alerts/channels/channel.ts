/**
 * The one interface every notification channel implements (log, webhook, Slack, email,
 * Alertmanager, callback), and the error helper they share.
 */
import { ErrorCode, HeadroomError } from "../../errors.js";
import type { Notification } from "../alert.js";
import type { RouteOptions } from "../notifier.js";

export interface SendContext {
  /** Aborted when the attempt times out; pass it to fetch / the SMTP client. */
  readonly signal: AbortSignal;
}

export interface AlertChannel {
  /** Unique among a notifier's channels; names the receiver in logs, stats and the notification log. */
  readonly name: string;
  /**
   * Called by the notifier, at most once at a time per group, never on the evaluation path.
   * Resolves when the receiver accepted the notification. Rejects on failure: with a
   * HeadroomError whose `data.retryable` is false when trying again cannot help (a 4xx,
   * a rejected recipient), otherwise the notifier retries with backoff.
   */
  send(notification: Notification, ctx: SendContext): Promise<void>;
  /**
   * Route settings this channel needs, used where the route itself leaves them out (they win
   * over the notifier-wide defaults). Alertmanager's channel asks for no grouping and a resend.
   */
  readonly routeDefaults?: RouteOptions;
  /** Releases connections; called by `notifier.close()`. */
  close?(): Promise<void>;
}

/** A failed HTTP delivery: 4xx other than 408/429 are not worth retrying. */
export function httpError(channel: string, status: number, body: string): HeadroomError {
  const retryable = status >= 500 || status === 408 || status === 429;
  return new HeadroomError(
    ErrorCode.Http,
    `[alerts:${channel}] receiver answered HTTP ${status}: ${body.slice(0, 200)}`,
    {
      data: { status, retryable },
    },
  );
}

/** POSTs JSON with fetch and throws `httpError` on a non-2xx answer. */
export async function postJson(
  channel: string,
  url: string,
  body: unknown,
  ctx: SendContext,
  headers = {},
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: ctx.signal,
    });
  } catch (cause) {
    throw new HeadroomError(
      ErrorCode.Unavailable,
      `[alerts:${channel}] cannot reach ${url}: ${(cause as Error).message}`,
      {
        data: { url, retryable: true },
        cause,
      },
    );
  }
  const text = await res.text().catch(() => "");
  if (!res.ok) throw httpError(channel, res.status, text);
}
