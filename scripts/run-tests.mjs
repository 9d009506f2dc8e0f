// Runs the test suites with Node's own test runner (TypeScript through tsx).
//   unit:  every src/**/*.test.ts and test/**/*.test.ts outside test/peers (no network, no root needed)
//   peers: test/peers/*.test.ts, which install and start real peers on 127.0.0.1 (PEERS.md)
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === "node_modules" || name === "fixtures") continue;
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

const suite = process.argv[2] ?? "unit";
const all = [...walk("src"), ...walk("test")];
const files = all.filter((f) =>
  suite === "peers" ? f.startsWith("test/peers/") : !f.startsWith("test/peers/"),
);
const extra = process.argv.slice(3);
const args = [
  "--import",
  "tsx",
  "--test",
  "--test-reporter=spec",
  `--test-concurrency=${suite === "peers" ? 1 : 2}`,
  ...extra,
  ...files.sort(),
];
const result = spawnSync(process.execPath, args, { stdio: "inherit" });
process.exit(result.status ?? 1);
