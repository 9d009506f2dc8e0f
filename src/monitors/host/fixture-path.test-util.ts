/** Locates the captured /proc trees under test/fixtures/host for the parser tests. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/host/", import.meta.url));
export const DEBIAN12 = `${FIXTURES}debian12-k6.18`;
export const EL6 = `${FIXTURES}el6-k2.6.32`;

export function fixture(root: string, path: string): string {
  return readFileSync(`${root}/${path}`, "utf8");
}
