/**
 * A real Prometheus scrapes the agent's /metrics over TLS, once with a bearer token and once
 * with basic auth (issue 7, "Pull"), and promtool lints the exposition. The agent runs
 * in-process with its real host and runtime monitors.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import { type Agent, startAgent } from "../../src/agent/agent.js";
import { parseConfig } from "../../src/agent/config-load.js";
import { createLogger } from "../../src/agent/logger.js";
import { selfSignedCert } from "../support/self-signed-cert.js";
import { eventually, freePort, type Peer, startPeer, tempDir } from "./lib.js";

const TOKEN = "peer-test-token-123";
let dir: string;
let agent: Agent;
let prometheus: Peer;
let promUrl: string;
let cert: string;

function httpsGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca: readFileSync(cert), headers }, (res) => {
      let body = "";
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on("error", reject)
      .end();
  });
}

before(async () => {
  dir = tempDir("agent-peer");
  const pair = selfSignedCert(dir);
  cert = pair.cert;
  const key = pair.key;
  const port = await freePort();
  const config = parseConfig(
    `[monitoring]\ncollection_interval = "1s"\n[monitors.gpu]\nenabled = false\n[server]\nport = ${port}\nauth = { token = "${TOKEN}", username = "prom", password = "scrape-pw" }\ntls = { cert = "${cert}", key = "${key}" }\n`,
    "toml",
    "peer.toml",
  ).config;
  agent = await startAgent({
    config,
    logger: createLogger("warn", new Writable({ write: (_c, _e, cb) => cb() })),
    dataDir: dir,
  });
  const promPort = await freePort();
  const promConfig = join(dir, "prometheus.yml");
  writeFileSync(
    promConfig,
    `global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n` +
      `  - job_name: headroom-bearer\n    scheme: https\n    tls_config: { ca_file: ${cert} }\n    authorization: { credentials: ${TOKEN} }\n    static_configs: [{ targets: ["127.0.0.1:${port}"] }]\n` +
      `  - job_name: headroom-basic\n    scheme: https\n    tls_config: { ca_file: ${cert} }\n    basic_auth: { username: prom, password: scrape-pw }\n    static_configs: [{ targets: ["127.0.0.1:${port}"] }]\n`,
  );
  promUrl = `http://127.0.0.1:${promPort}`;
  prometheus = await startPeer(
    "prometheus",
    [
      `--config.file=${promConfig}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      `--storage.tsdb.path=${join(dir, "tsdb")}`,
    ],
    `${promUrl}/-/ready`,
  );
});

after(async () => {
  await prometheus?.stop();
  await agent?.stop();
  spawnSync("rm", ["-rf", dir]);
});

test("Prometheus scrapes the agent over TLS with bearer and basic auth", async () => {
  const up = await eventually(async () => {
    const res = await (await fetch(`${promUrl}/api/v1/targets`)).json();
    const targets = res.data.activeTargets as {
      labels: { job: string };
      health: string;
      lastError: string;
    }[];
    return targets.length === 2 && targets.every((t) => t.health === "up") ? targets : undefined;
  }, 30_000);
  assert.deepEqual(up.map((t) => t.labels.job).sort(), ["headroom-basic", "headroom-bearer"]);
  const value = await eventually(async () => {
    const q = encodeURIComponent('headroom_agent_resident_memory_bytes{job="headroom-bearer"}');
    const res = await (await fetch(`${promUrl}/api/v1/query?query=${q}`)).json();
    return res.data.result[0]?.value[1] as string | undefined;
  });
  assert.ok(Number(value) > 10e6);
  const cpu = await eventually(async () => {
    const res = await (
      await fetch(
        `${promUrl}/api/v1/query?query=${encodeURIComponent('count(node_cpu_seconds_total{job="headroom-basic",mode="idle"})')}`,
      )
    ).json();
    return res.data.result[0]?.value[1] as string | undefined;
  });
  assert.ok(Number(cpu) >= 1);
});

test("without credentials the agent refuses the scrape; promtool accepts the exposition", async () => {
  const url = `${agent.url}/metrics`;
  assert.equal((await httpsGet(url, {})).status, 401);
  assert.equal((await httpsGet(url, { authorization: "Bearer wrong" })).status, 401);
  const ok = await httpsGet(url, { authorization: `Bearer ${TOKEN}` });
  assert.equal(ok.status, 200);
  const lint = spawnSync("promtool", ["check", "metrics"], { input: ok.body, encoding: "utf8" });
  // Exit 1 is a parse error. Exit 3 lists lint findings; node_exporter's own meminfo names
  // (node_memory_MemTotal_bytes) draw the camelCase one and prom-client's gauges named
  // nodejs_active_*_total the suffix one; nothing else may appear.
  assert.notEqual(lint.status, 1, lint.stdout + lint.stderr);
  const findings = `${lint.stdout}${lint.stderr}`.split("\n").filter((l) => l.trim() !== "");
  const other = findings.filter(
    (l) =>
      !/^node_memory_\w+ metric names should be written in 'snake_case' not 'camelCase'$/.test(l) &&
      !/^nodejs_active_\w+_total non-counter metrics should not have "_total" suffix$/.test(l),
  );
  assert.deepEqual(other, []);
});
