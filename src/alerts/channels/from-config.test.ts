import assert from "node:assert/strict";
import { test } from "node:test";
import { channelFromConfig } from "./from-config.js";

test("channel routes from config: every type, snake_case accepted, route options passed on", () => {
  assert.equal(channelFromConfig({ type: "log" }).channel.name, "log");
  const hook = channelFromConfig({
    type: "webhook",
    name: "ops",
    url: "http://127.0.0.1:1/x",
    group_wait: "10s",
  });
  assert.equal(hook.channel.name, "ops");
  assert.equal(hook.groupWait, 10_000);
  assert.equal(
    channelFromConfig({ type: "slack", webhook_url: "https://hooks.example/x" }).channel.name,
    "slack",
  );
  const mail = channelFromConfig({ type: "email", host: "127.0.0.1", port: 2525, from: "a@b", to: "c@d" });
  assert.equal(mail.channel.name, "email");
  const am = channelFromConfig({
    type: "alertmanager",
    url: "http://127.0.0.1:9093",
    resend_interval: "30s",
  });
  assert.deepEqual(am.groupBy, ["..."]);
  assert.equal(am.repeatInterval, 30_000);
});

test("bad channel config is rejected naming the channel and field", () => {
  const bad = (cfg: Record<string, unknown>, pattern: RegExp) =>
    assert.throws(() => channelFromConfig(cfg as never), pattern);
  bad({ type: "pager" }, /channel "pager" field "type": unknown channel type "pager"/);
  bad({ type: "webhook", name: "w" }, /channel "w" field "url": required/);
  bad({ type: "webhook", url: "ftp://x" }, /field "url": expected an http\(s\) URL/);
  bad({ type: "webhook", url: "::nope" }, /field "url": not a URL/);
  bad({ type: "email", host: "h", from: "a@b", to: [] }, /field "to"/);
  bad({ type: "email", host: "h", from: "a@b", to: "c@d", port: 70000 }, /field "port"/);
  bad({ type: "email", from: "a@b", to: "c@d" }, /field "host": required/);
  bad({ type: "log", groupWait: "-1s" }, /field "groupWait"/);
  bad({ type: "log", groupBy: "alertname" }, /field "groupBy"/);
});
