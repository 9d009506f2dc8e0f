import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  answer,
  hang,
  reset,
  type ScriptedServer,
  scriptedServer,
} from "../../test/fixtures/exporters/scripted-server.js";
import { safeUrl, sendHttp } from "./http-transport.js";

let server: ScriptedServer;
before(async () => {
  server = await scriptedServer();
});
after(() => server.close());

// Generous timeouts: the machines running the suite are shared and can be slow; only the
// hang case waits for its short timeout on purpose.
const post = (timeoutMs = 10_000) =>
  sendHttp({
    url: `${server.url}/write`,
    headers: { Authorization: "Bearer s3cret" },
    body: "x",
    timeoutMs,
  });

test("2xx is ok and the body and headers arrive", async () => {
  server.script = answer(204);
  assert.deepEqual(await post(), { kind: "ok" });
  const last = server.received.at(-1);
  assert.equal(last?.body.toString(), "x");
  assert.equal(last?.headers.authorization, "Bearer s3cret");
});

test("400 and other 4xx are rejected for good, with the answer's text", async () => {
  for (const status of [400, 401, 404, 413]) {
    server.script = answer(status, "out of order sample");
    const out = await post();
    assert.equal(out.kind, "reject");
    assert.ok(
      out.kind === "reject" && out.reason.includes(String(status)) && out.reason.includes("out of order"),
    );
  }
});

test("429, 408 and 5xx are retryable; Retry-After is passed on", async () => {
  server.script = answer(429, "slow down", { "Retry-After": "3" });
  assert.deepEqual(await post(), {
    kind: "retry",
    reason: `${server.url}/write answered 429: slow down`,
    retryAfterMs: 3000,
  });
  for (const status of [408, 500, 502, 503]) {
    server.script = answer(status);
    assert.equal((await post()).kind, "retry", String(status));
  }
});

test("a hang times out and a reset connection fails; both retryable", async () => {
  server.script = hang;
  const timedOut = await post(300);
  assert.equal(timedOut.kind, "retry");
  assert.match(timedOut.kind === "retry" ? timedOut.reason : "", /within 300 ms/);
  server.script = reset;
  const wasReset = await post();
  assert.equal(wasReset.kind, "retry");
  const closed = await scriptedServer();
  const closedUrl = closed.url;
  await closed.close();
  const refused = await sendHttp({ url: `${closedUrl}/write`, headers: {}, body: "x", timeoutMs: 1000 });
  assert.equal(refused.kind, "retry");
  assert.match(refused.kind === "retry" ? refused.reason : "", /ECONNREFUSED/);
});

test("messages never carry credentials, from headers or from the URL", async () => {
  server.script = answer(500, "boom");
  const withUser = `${server.url.replace("http://", "http://alice:pa55word@")}/write`;
  const out = await sendHttp({
    url: withUser,
    headers: { Authorization: "Bearer s3cret" },
    body: "x",
    timeoutMs: 10_000,
  });
  const text = JSON.stringify(out);
  assert.equal(
    server.received.at(-1)?.headers.authorization,
    "Bearer s3cret",
    "an explicit header wins over URL user info",
  );
  await sendHttp({ url: withUser, headers: {}, body: "x", timeoutMs: 10_000 });
  const basic = server.received.at(-1)?.headers.authorization ?? "";
  assert.equal(Buffer.from(basic.replace("Basic ", ""), "base64").toString(), "alice:pa55word");
  assert.doesNotMatch(text, /s3cret|pa55word|alice/);
  assert.equal(safeUrl("http://u:p@h:1/x?y=1"), "http://h:1/x?y=1");
  assert.equal(safeUrl("not a url"), "<invalid url>");
});
