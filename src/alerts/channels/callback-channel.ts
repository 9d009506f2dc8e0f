/** A channel that hands each notification to a function: the library user's own delivery. */
import type { Notification } from "../alert.js";
import type { AlertChannel, SendContext } from "./channel.js";

/**
 * `fn` runs on the notifier's delivery path; a throw or rejection is a failed attempt and is
 * retried like any channel's.
 */
export function createCallbackChannel(
  name: string,
  fn: (notification: Notification, ctx: SendContext) => void | Promise<void>,
): AlertChannel {
  return {
    name,
    async send(n, ctx) {
      await fn(n, ctx);
    },
  };
}
