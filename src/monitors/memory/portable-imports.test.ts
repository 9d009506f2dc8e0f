import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

// These files run in browsers and workers (the resource manager's pools import the allocator,
// a WebGPU renderer feeds the frame monitor), so neither they nor what they import may use `node:`.
const PORTABLE = [
  "memory/tracked-allocator.ts",
  "memory/memory-report.ts",
  "memory/memory-monitor.ts",
  "gpu/gpu-report.ts",
  "gpu/frame-monitor.ts",
  "gpu/vram-monitor.ts",
  "gpu/memory-vram-provider.ts",
];

function importsOf(path: URL): string[] {
  const src = readFileSync(path, "utf8");
  return [...src.matchAll(/^(?:import|export)[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
}

test("portable monitor files import no node: module, directly or through relative imports", () => {
  const seen = new Set<string>();
  const walk = (url: URL, from: string) => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    for (const spec of importsOf(url)) {
      assert.ok(!spec.startsWith("node:"), `${from} reaches ${spec} through ${url.pathname}`);
      if (spec.startsWith(".")) walk(new URL(spec.replace(/\.js$/, ".ts"), url), from);
    }
  };
  for (const file of PORTABLE) walk(new URL(`../${file}`, import.meta.url), file);
  assert.ok(seen.size > PORTABLE.length);
});
