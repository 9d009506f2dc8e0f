// Unit checks of the query-API store against a scripted local server: the selectors it sends
// and how it reads answers, including malformed ones. The store's behaviour against a real
// engine (the shared HistoryStore conformance suite, a two-agent fleet) is in
// test/peers/exporters.test.ts.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  answer,
  type ScriptedServer,
  scriptedServer,
} from "../../test/fixtures/exporters/scripted-server.js";
import { isHeadroomError } from "../errors.js";
import { decodeRemoteWrite } from "../expose/remote-write-decode.js";
import { openPrometheusQueryStore } from "./prometheus-query-store.js";

let server: ScriptedServer;
before(async () => {
  server = await scriptedServer();
});
after(() => server.close());

const matrix = (result: unknown[]) =>
  JSON.stringify({ status: "success", data: { resultType: "matrix", result } });

test("raw queries: quoted selector with scope labels, exact identity, range bounds, special values", async () => {
  server.script = answer(
    200,
    matrix([
      { metric: { __name__: "m", path: 'a"b\nc', host: "h1", extra: "x" }, values: [[1, "9"]] },
      {
        metric: { __name__: "m", path: 'a"b\nc', host: "h1" },
        values: [
          [0.999, "1"],
          [1, "NaN"],
          [1.5, "+Inf"],
          [2, "-Inf"],
          [2.001, "5"],
        ],
      },
    ]),
  );
  const store = openPrometheusQueryStore({ url: server.url, labels: { host: "h1" } });
  const got = await store.queryRange(
    { name: "m", labels: { path: 'a"b\nc' } },
    { startMs: 1000, endMs: 2000 },
  );
  assert.equal(got.length, 3);
  assert.ok(Number.isNaN(got[0].v));
  assert.deepEqual(got.slice(1), [
    { t: 1500, v: Number.POSITIVE_INFINITY },
    { t: 2000, v: Number.NEGATIVE_INFINITY },
  ]);
  const sent = new URL(server.received.at(-1)?.url ?? "", server.url);
  assert.equal(sent.pathname, "/api/v1/query");
  assert.equal(sent.searchParams.get("query"), '{__name__="m",path="a\\"b\\nc",host="h1"}[1001ms]');
  assert.equal(sent.searchParams.get("time"), "2.000");
});

test("listSeries hides scope labels and sorts by key; an empty selector still matches", async () => {
  server.script = answer(
    200,
    JSON.stringify({
      status: "success",
      data: [
        { __name__: "b", host: "h1", i: "1" },
        { __name__: "a", host: "h1" },
      ],
    }),
  );
  const scoped = openPrometheusQueryStore({ url: server.url, labels: { host: "h1" } });
  assert.deepEqual(await scoped.listSeries(), [
    { key: "a", name: "a", labels: {} },
    { key: 'b{i="1"}', name: "b", labels: { i: "1" } },
  ]);
  const fleet = openPrometheusQueryStore({ url: server.url });
  await fleet.listSeries();
  const sent = new URL(server.received.at(-1)?.url ?? "", server.url);
  assert.equal(sent.searchParams.get("match[]"), '{__name__=~".+"}');
});

test("malformed and failed answers are typed errors that name the endpoint", async () => {
  const store = openPrometheusQueryStore({ url: server.url });
  const cases = [
    answer(200, "<html>not json</html>"),
    answer(200, JSON.stringify({ status: "error", error: "parse error at char 3" })),
    answer(422, JSON.stringify({ status: "error", error: "bad_data" })),
    answer(200, JSON.stringify({ status: "success" })),
  ];
  for (const script of cases) {
    server.script = script;
    await assert.rejects(
      () => store.latest({ name: "m" }),
      (err) =>
        isHeadroomError(err, "HR_HTTP") && err.message.startsWith("[history:prometheus] /api/v1/query"),
    );
  }
});

test("appends are buffered and sent as one remote-write request on flush, with scope labels", async () => {
  server.script = (req, res) => {
    res.writeHead(req.url === "/api/v1/write" ? 204 : 404);
    res.end();
  };
  const store = openPrometheusQueryStore({ url: server.url, labels: { host: "h1" }, now: () => 10_000 });
  const s = store.series("w", { a: "1" });
  assert.equal(store.append(s, 1000, 1), true);
  assert.equal(store.append(s, 1000, 2), false, "not after the previous sample");
  assert.equal(store.append(s, 2000, Number.NaN), false);
  assert.equal(store.append(s, 3000, 3), true);
  const before = server.received.length;
  await store.flush();
  const write = server.received.slice(before).find((r) => r.url === "/api/v1/write");
  const req = decodeRemoteWrite(write?.body ?? Buffer.alloc(0));
  assert.deepEqual(req.timeseries[0].labels, [
    ["__name__", "w"],
    ["a", "1"],
    ["host", "h1"],
  ]);
  assert.deepEqual(
    req.timeseries[0].samples.map((x) => x.timestampMs),
    [1000, 3000],
  );
  assert.deepEqual(store.stats().rejected.outOfOrder, 1);
  const again = server.received.length;
  await store.flush();
  assert.equal(server.received.length, again, "nothing pending, nothing sent");
  server.script = answer(400, "bad");
  store.append(s, 4000, 4);
  await assert.rejects(
    () => store.flush(),
    (err) => isHeadroomError(err, "HR_STORAGE"),
  );
});
