/**
 * Structured logs with pino, as JSON lines on stderr (stdout stays free for command output such
 * as `headroom snapshot --json`). A disabled level costs a no-op call, as pino decides once.
 */
import { type DestinationStream, destination, type Logger, pino, stdTimeFunctions } from "pino";

export type { Logger };

export function createLogger(level: string, stream?: DestinationStream): Logger {
  return pino(
    { level, base: { name: "headroom" }, timestamp: stdTimeFunctions.isoTime },
    stream ?? destination({ dest: 2, sync: true }),
  );
}
