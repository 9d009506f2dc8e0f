import assert from "node:assert/strict";
import { test } from "node:test";
import { createStyle, humanBytes, table } from "./style.js";

test("colours only on a terminal, never with NO_COLOR or TERM=dumb", () => {
  assert.equal(createStyle(true, {}).red("x"), "\x1b[31mx\x1b[39m");
  assert.equal(createStyle(true, { NO_COLOR: "1" }).red("x"), "x");
  assert.equal(createStyle(true, { TERM: "dumb" }).red("x"), "x");
  assert.equal(createStyle(false, {}).red("x"), "x");
});

test("tables align columns (numbers right) and ignore colour codes in widths", () => {
  const style = createStyle(true, {});
  const out = table(
    ["name", "value"],
    [
      [style.red("a"), "1"],
      ["long-name", "100"],
    ],
  );
  assert.deepEqual(
    out.split("\n").map((l) => l.replace(/\x1b\[\d+m/g, "")),
    ["name       value", "a              1", "long-name    100"],
  );
  assert.equal(humanBytes(1536), "1.5 KiB");
});
