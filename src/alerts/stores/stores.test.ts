import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { createMemoryStateStore } from "../state-store.js";
import { runStateStoreConformance } from "./conformance.js";
import { createJsonFileStateStore } from "./json-file-store.js";
import { createSqliteStateStore } from "./sqlite-state-store.js";

const dir = mkdtempSync(join(tmpdir(), "headroom-alert-state-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const memory = createMemoryStateStore();
runStateStoreConformance("memory", () => memory);
runStateStoreConformance("json file", () => createJsonFileStateStore(join(dir, "sub", "alerts.json")));
runStateStoreConformance("sqlite file", () => createSqliteStateStore(join(dir, "alerts.db")));

test("sqlite store shares an open database (the history database)", async () => {
  const db = new Database(join(dir, "history.db"));
  db.exec("CREATE TABLE other (x)");
  const store = createSqliteStateStore(db);
  assert.equal(await store.load(), undefined);
  store.close(); // not owned: the database stays open
  assert.equal(db.open, true);
  db.close();
});

test("malformed state files are rejected with HR_STORAGE naming the problem", async () => {
  const path = join(dir, "bad.json");
  writeFileSync(path, "{not json");
  await assert.rejects(createJsonFileStateStore(path).load(), /is not valid JSON/);
  writeFileSync(path, JSON.stringify({ version: 2 }));
  await assert.rejects(createJsonFileStateStore(path).load(), /not alert state version 1/);
  writeFileSync(path, JSON.stringify({ version: 1, instances: {}, notificationLog: [], silences: [] }));
  await assert.rejects(createJsonFileStateStore(path).load(), /field "instances" is not a list/);
  assert.equal(await createJsonFileStateStore(join(dir, "missing-dir", "x.json")).load(), undefined);
});

test("json store: NaN values come back as null and the engine restores them as NaN", async () => {
  const path = join(dir, "nan.json");
  const store = createJsonFileStateStore(path);
  const { sampleState } = await import("./conformance.js");
  const s = sampleState(5);
  await store.save({
    ...s,
    instances: [{ ...s.instances[0], state: { ...s.instances[0].state, value: Number.NaN } }],
  });
  const back = await store.load();
  assert.equal(back?.instances[0].state.value, null);
});
