/** The package version, read once from package.json (two levels up from both src/ and dist/). */
import { readFileSync } from "node:fs";

let cached: string | undefined;

export function packageVersion(): string {
  if (cached === undefined) {
    try {
      cached = String(
        JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version,
      );
    } catch {
      cached = "0.0.0";
    }
  }
  return cached;
}
