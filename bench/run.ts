/**
 * `npm run bench -- <suite> [...]`: runs bench/<suite>.ts, prints its table and writes
 * bench/results/<suite>.json. With no suite, runs them all.
 */
import { readdirSync } from "node:fs";
import { type BenchResult, printTable, writeResults } from "./lib.js";

const available = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".ts") && !["lib.ts", "run.ts"].includes(f) && !f.endsWith(".test.ts"))
  .map((f) => f.slice(0, -3));
const asked = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const suites = asked.length > 0 ? asked : available;

for (const suite of suites) {
  if (!available.includes(suite)) {
    console.error(`unknown bench suite "${suite}"; available: ${available.join(", ")}`);
    process.exit(2);
  }
  const mod = (await import(`./${suite}.js`)) as { run: () => Promise<BenchResult[]> };
  const results = await mod.run();
  printTable(suite, results);
  console.log(`wrote ${writeResults(suite, results)}`);
}
