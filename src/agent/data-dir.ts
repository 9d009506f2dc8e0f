/** The per-user data directory and the check that it can be written before anything opens it. */
import { accessSync, constants, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ErrorCode, HeadroomError } from "../errors.js";

/** `$XDG_DATA_HOME/headroom`, else `~/.local/share/headroom` (the XDG base directory default). */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const base = env.XDG_DATA_HOME?.startsWith("/") ? env.XDG_DATA_HOME : join(homedir(), ".local/share");
  return join(base, "headroom");
}

/** Creates `dir` if needed and throws HR_IO naming it when it cannot be written. */
export function ensureWritableDir(dir: string): string {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new HeadroomError(
      ErrorCode.Io,
      `[agent] data directory ${dir} is not writable (${code}); pick another with --data or history.path`,
      { data: { dir, code }, cause: err },
    );
  }
  return dir;
}
