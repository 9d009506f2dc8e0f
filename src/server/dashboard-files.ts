/**
 * The built dashboard (`web/dist`), read once into memory when the server starts: a handful of
 * small files, so no per-request disk access and no path to traverse out of.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface StaticFile {
  readonly body: Uint8Array;
  readonly contentType: string;
  /** Content-hashed names may be cached for a day; index.html never. */
  readonly immutable: boolean;
}

export type StaticFiles = ReadonlyMap<string, StaticFile>;

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".map": "application/json",
};

/** `web/dist` next to the package root, from both `src/server` and `dist/server`. */
export function defaultDashboardDir(): string {
  return fileURLToPath(new URL("../../web/dist", import.meta.url));
}

/** The files of `dir` (recursively), keyed by URL path; undefined when the dashboard is not built. */
export function loadDashboardFiles(dir = defaultDashboardDir()): StaticFiles | undefined {
  if (!existsSync(join(dir, "index.html"))) return undefined;
  const files = new Map<string, StaticFile>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (TYPES[extname(entry.name)]) {
        files.set(`/${rel}`, {
          body: readFileSync(join(dir, rel)),
          contentType: TYPES[extname(entry.name)],
          immutable: /-[A-Z0-9]{8}\./.test(entry.name),
        });
      }
    }
  };
  walk("");
  return files;
}
