/**
 * The HistoryStore over a Prometheus-compatible query API, against real engines (PEERS.md):
 * the shared HistoryStore conformance suite on VictoriaMetrics and on Prometheus, and a fleet
 * of two agents with different `instance` labels read back from VictoriaMetrics.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runHistoryStoreConformance } from "../../src/history/conformance.js";
import { openPrometheusQueryStore } from "../../src/history/prometheus-query-store.js";
import {
  drain,
  exporterFor,
  startPrometheusReceiver,
  startVictoria,
  tick,
  type Victoria,
} from "../fixtures/exporters/peers.js";
import { eventually, freePort, type Peer } from "./lib.js";

describe("HistoryStore over VictoriaMetrics's query API", () => {
  let vm: Victoria;
  before(async () => {
    vm = await startVictoria();
  });
  after(() => vm.dispose());

  // Each store is scoped by a label of its own, so every conformance case sees a fresh store
  // inside the one engine. Retention belongs to the engine, not to this store.
  let opened = 0;
  runHistoryStoreConformance(
    "prometheus-query (VictoriaMetrics)",
    ({ now }) => openPrometheusQueryStore({ url: vm.url, labels: { store: `c${++opened}` }, now }),
    { without: ["retention"] },
  );

  it("reads a fleet back: two agents with different instance labels, listed and queried per host", async () => {
    const t0 = Date.now() - 120_000;
    for (const instance of ["agent-a", "agent-b"]) {
      const exporter = exporterFor({
        type: "victoriametrics",
        endpoint: vm.url,
        name: instance,
        externalLabels: { instance },
      });
      for (let k = 0; k < 10; k++) {
        exporter.push(tick("fleet_load", t0 + k * 10_000, 2, instance === "agent-a" ? k : 100 + k));
      }
      await drain(exporter);
      await exporter.close();
    }
    await fetch(`${vm.url}/internal/force_flush`);
    const fleet = openPrometheusQueryStore({ url: vm.url });
    const listed = await eventually(async () => {
      const l = await fleet.listSeries({ name: "fleet_load" });
      return l.length === 4 ? l : undefined;
    });
    assert.deepEqual(
      listed.map((x) => x.labels),
      [
        { i: "0", instance: "agent-a" },
        { i: "0", instance: "agent-b" },
        { i: "1", instance: "agent-a" },
        { i: "1", instance: "agent-b" },
      ],
    );
    const range = { startMs: t0, endMs: t0 + 90_000 };
    const b1 = await fleet.queryRange({ name: "fleet_load", labels: { instance: "agent-b", i: "1" } }, range);
    assert.deepEqual(
      b1.map((p) => p.v),
      Array.from({ length: 10 }, (_, k) => (100 + k) * 10 + 1),
    );
    assert.deepEqual(
      b1.map((p) => p.t),
      Array.from({ length: 10 }, (_, k) => t0 + k * 10_000),
    );
    const onlyA = openPrometheusQueryStore({ url: vm.url, labels: { instance: "agent-a" } });
    assert.deepEqual(
      (await onlyA.listSeries({ name: "fleet_load" })).map((x) => x.labels),
      [{ i: "0" }, { i: "1" }],
    );
    assert.deepEqual(await onlyA.latest({ name: "fleet_load", labels: { i: "0" } }), {
      t: t0 + 90_000,
      v: 90,
    });
    const steps = await onlyA.queryStep(
      { name: "fleet_load", labels: { i: "0" } },
      { ...range, stepMs: 50_000 },
    );
    assert.equal(
      steps.reduce((n, p) => n + p.count, 0),
      10,
    );
  });

  it("a query the engine refuses is a typed error naming the endpoint; an unreachable engine is HR_UNAVAILABLE", async () => {
    const store = openPrometheusQueryStore({ url: `${vm.url}/not-the-api` });
    await assert.rejects(
      () => store.queryRange({ name: "x" }, { startMs: 0, endMs: 1000 }),
      (err) =>
        (err as { code?: string }).code === "HR_HTTP" &&
        (err as Error).message.startsWith("[history:prometheus]"),
    );
    const port = await freePort();
    const gone = openPrometheusQueryStore({ url: `http://127.0.0.1:${port}`, timeoutMs: 1000 });
    await assert.rejects(
      () => gone.listSeries(),
      (err) => (err as { code?: string }).code === "HR_UNAVAILABLE",
    );
  });
});

describe("HistoryStore over Prometheus's query API", () => {
  // A Prometheus of its own: the conformance data lies hours in the past, which a TSDB head
  // that already holds current samples would refuse as out of bounds.
  let prometheus: Peer;
  let url = "";
  before(async () => {
    const started = await startPrometheusReceiver("prometheus-history");
    prometheus = started;
    url = started.url;
  });
  after(() => prometheus.stop());

  let opened = 0;
  runHistoryStoreConformance(
    "prometheus-query (Prometheus)",
    ({ now }) => openPrometheusQueryStore({ url, labels: { store: `p${++opened}` }, now }),
    { without: ["retention"] },
  );
});
