/** A channel that writes one line per alert: the console by default, or any line sink (pino, a file). */
import type { AlertChannel } from "./channel.js";
import { alertLine } from "./format.js";

export interface LogChannelOptions {
  name?: string;
  /** Receives each line; default `console.log`. */
  write?: (line: string) => void;
}

export function createLogChannel(options: LogChannelOptions = {}): AlertChannel {
  const write = options.write ?? ((line: string) => console.log(line));
  return {
    name: options.name ?? "log",
    async send(n) {
      for (const a of n.alerts) write(`[alerts] ${alertLine(a)}`);
    },
  };
}
