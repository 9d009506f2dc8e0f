import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode } from "../errors.js";
import { openHistory } from "./open-history.js";

test("openHistory falls back to memory with the reason when the database cannot be opened", async () => {
  const opened = openHistory({
    sqlite: { path: "/nonexistent-dir/headroom/history.db", flushIntervalMs: 0 },
  });
  assert.equal(opened.kind, "memory");
  assert.equal(opened.error?.code, ErrorCode.Storage);
  assert.match(opened.error?.message ?? "", /^\[history:sqlite\] cannot open/);
  const s = opened.store.series("still_monitoring");
  assert.equal(opened.store.append(s, Date.now(), 1), true);
  await opened.store.close();
  const mem = openHistory({});
  assert.equal(mem.kind, "memory");
  assert.equal(mem.error, undefined);
  const sql = openHistory({ sqlite: { path: ":memory:", flushIntervalMs: 0 } });
  assert.equal(sql.kind, "sqlite");
  await sql.store.close();
});
