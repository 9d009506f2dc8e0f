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

test("restart through a JSON file: `for` keeps counting, nothing is announced twice, silences survive", async () => {
  const { createAlertEngine } = await import("../engine.js");
  const { createNotifier } = await import("../notifier.js");
  const { createCallbackChannel } = await import("../channels/callback-channel.js");
  const path = join(dir, "restart", "alerts.json");
  const errors: string[] = [];
  const S = 1000;
  const snap = (t: number, v: number) => ({
    timestampMs: t * S,
    families: [
      {
        name: "m",
        help: "",
        unit: "",
        labelNames: [],
        type: "gauge" as const,
        series: [{ labels: {}, value: v }],
      },
    ],
  });
  const boot = () => {
    const sent: string[] = [];
    let t = 0;
    const notifier = createNotifier({
      channels: [
        { channel: createCallbackChannel("rec", (n) => void sent.push(`${n.status}:${n.alerts[0].rule}`)) },
      ],
      groupWait: 0,
      now: () => t,
    });
    const engine = createAlertEngine({
      rules: [
        { name: "Slow", metric: "m", op: ">", threshold: 1, for: "60s" },
        { name: "Fast", metric: "m", op: ">", threshold: 1 },
      ],
      notifier,
      stateStore: createJsonFileStateStore(path),
      now: () => t,
      onError: (e) => errors.push(e.message),
    });
    const ev = async (sec: number, v: number) => {
      t = sec * S;
      await engine.evaluate(snap(sec, v));
      await notifier.idle();
    };
    return { sent, notifier, engine, ev };
  };
  const a = boot();
  await a.engine.load();
  await a.ev(0, 5);
  await a.ev(30, 5);
  a.notifier.silences.add({
    matchers: [{ name: "alertname", op: "=", value: "Nothing" }],
    endsAtMs: 10_000 * S,
    createdBy: "ops",
    comment: "kept",
  });
  await a.engine.close();
  assert.deepEqual(a.sent, ["firing:Fast"]);

  const b = boot();
  await b.engine.load();
  assert.equal(b.notifier.silences.list().length, 1);
  await b.ev(45, 5);
  assert.deepEqual(b.sent, []);
  await b.ev(60, 5);
  assert.deepEqual(b.sent, ["firing:Slow"]);
  await b.engine.close();
  assert.deepEqual(errors, []);
});
