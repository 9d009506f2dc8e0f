/**
 * Bad-input tests for the Docker API client. A real engine cannot be made to refuse, stall or
 * send malformed JSON on demand, so these use a small HTTP server on a unix socket that misbehaves
 * deliberately; the real Podman service is exercised in test/peers/containers.test.ts.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ErrorCode, isHeadroomError } from "../../errors.js";
import { createRegistry } from "../../metrics/registry.js";
import { findValue } from "../../metrics/snapshot.js";
import { createContainerMonitor } from "./container-monitor.js";
import { cpuPercentBetween, createDockerClient, parseContainerList, parseStats } from "./docker-client.js";

const dir = mkdtempSync(join(tmpdir(), "headroom-docker-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let cpuNs = 1e9;
let sysNs = 100e9;
function statsBody(): string {
  cpuNs += 0.5e9;
  sysNs += 2e9;
  return JSON.stringify({
    read: "2026-11-22T00:00:00Z",
    cpu_stats: { cpu_usage: { total_usage: cpuNs }, system_cpu_usage: sysNs, online_cpus: 2 },
    memory_stats: { usage: 1048576, limit: 268435456 },
    networks: { eth0: { rx_bytes: 10, tx_bytes: 20 } },
  });
}

const CONTAINERS = [
  { Id: "aaa", Names: ["/web"], Image: "bb", State: "running", Labels: { app: "x" }, Created: 1 },
  { Id: "bbb", Names: ["/old"], Image: "bb", State: "exited", Labels: null, Created: 2 },
];

function serve(
  handler: (url: string, res: import("node:http").ServerResponse) => void,
): Promise<{ path: string; server: Server }> {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.sock`);
  const server = createServer((req, res) => handler(req.url ?? "", res));
  return new Promise((resolve) => server.listen(path, () => resolve({ path, server })));
}

test("lists containers and reads stats; CPU percent from consecutive samples", async () => {
  const { path, server } = await serve((url, res) => {
    if (url.startsWith("/v1.41/containers/json")) res.end(JSON.stringify(CONTAINERS));
    else if (url.includes("/stats?stream=true")) {
      res.write(`${statsBody()}\n`);
      setTimeout(() => res.write(`${statsBody()}\n`), 10);
    } else if (url.includes("/stats")) res.end(statsBody());
    else if (url === "/v1.41/_ping") res.end("OK");
    else res.writeHead(404).end("{}");
  });
  try {
    const client = createDockerClient({ socketPath: path });
    assert.equal(await client.ping(), true);
    const list = await client.listContainers();
    assert.deepEqual(
      list.map((c) => [c.name, c.state, c.labels.app]),
      [
        ["web", "running", "x"],
        ["old", "exited", undefined],
      ],
    );
    const two = await client.streamStats("aaa", 2);
    assert.equal(two.length, 2);
    assert.equal(cpuPercentBetween(two[0], two[1]), 50);

    const registry = createRegistry();
    const mon = createContainerMonitor(registry, { client, readCgroups: false });
    await mon.update();
    await mon.update();
    const m = mon.getContainerMetrics();
    assert.equal(m?.totalContainers, 2);
    assert.equal(m?.runningContainers, 1);
    assert.equal(m?.stoppedContainers, 1);
    assert.equal(m?.containerDetails[0].cpuUsagePercent, 50);
    const s = registry.snapshot();
    assert.equal(findValue(s, "headroom_containers", { state: "exited" }), 1);
    assert.equal(findValue(s, "headroom_container_api_cpu_usage_percent", { name: "web" }), 50);
    assert.equal(
      findValue(s, "container_network_transmit_bytes_total", { name: "web", interface: "eth0" }),
      20,
    );
  } finally {
    server.close();
  }
});

test("a refused socket, a slow daemon, an HTTP error and malformed JSON are typed errors", async () => {
  const refused = createDockerClient({ socketPath: join(dir, "nobody-listens.sock") });
  await assert.rejects(refused.listContainers(), (e: unknown) => isHeadroomError(e, ErrorCode.Unavailable));

  const { path, server } = await serve((url, res) => {
    if (url.includes("slow")) return; // never answers
    if (url.includes("containers/json")) res.end('[{"Id": "x",');
    else if (url.includes("/stats")) res.end(JSON.stringify({ cpu_stats: {} }));
    else res.writeHead(500).end("boom");
  });
  try {
    const client = createDockerClient({ socketPath: path, timeoutMs: 50 });
    await assert.rejects(client.listContainers(), (e: unknown) => isHeadroomError(e, ErrorCode.Parse));
    await assert.rejects(client.stats("x"), (e: unknown) => isHeadroomError(e, ErrorCode.Parse));
    await assert.rejects(client.containerPid("x"), (e: unknown) => isHeadroomError(e, ErrorCode.Http));
    await assert.rejects(client.stats("slow"), (e: unknown) => isHeadroomError(e, ErrorCode.Timeout));
    // The monitor turns the same failures into a failed update, not a crash.
    const mon = createContainerMonitor(createRegistry(), { client, readCgroups: false });
    await assert.rejects(mon.update(), /malformed JSON/);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test("payload validation", () => {
  assert.throws(() => parseContainerList("{}"), /array/);
  assert.throws(() => parseContainerList("[{}]"), /no Id/);
  assert.throws(() => parseStats("null"), /total_usage/);
  assert.throws(() => parseStats("not json"), /malformed/);
  const a = parseStats(JSON.stringify({ cpu_stats: { cpu_usage: { total_usage: 5 } } }));
  assert.equal(cpuPercentBetween(a, a), undefined, "no system time: no percent");
});

test("the same client over TCP (a daemon on 127.0.0.1)", async () => {
  const server = createServer((req, res) => {
    if (req.url === "/v1.41/containers/json?all=1") res.end(JSON.stringify(CONTAINERS));
    else res.writeHead(404).end("{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  try {
    const port = (server.address() as import("node:net").AddressInfo).port;
    const client = createDockerClient({ url: `http://127.0.0.1:${port}` });
    assert.equal((await client.listContainers()).length, 2);
    await assert.rejects(client.stats("missing"), (e: unknown) => isHeadroomError(e, ErrorCode.Http));
  } finally {
    server.close();
  }
});
