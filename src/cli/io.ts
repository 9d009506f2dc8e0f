/** What a command writes to and reads from, so tests can run commands in-process. */
import { createStyle, type Style } from "./style.js";

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** stdout is a terminal (colours, live redraw, progress bars). */
  readonly isTty: boolean;
  readonly style: Style;
}

export function processIo(): CliIo {
  const isTty = Boolean(process.stdout.isTTY);
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    env: process.env,
    isTty,
    style: createStyle(isTty, process.env),
  };
}
