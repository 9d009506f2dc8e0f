import assert from "node:assert/strict";
import { totalmem } from "node:os";
import { Writable } from "node:stream";
import { test } from "node:test";
import { startAgent } from "./agent.js";
import { effectiveMemoryBytes } from "./agent-resources.js";
import { parseConfig } from "./config-load.js";
import { createLogger } from "./logger.js";

const silent = () =>
  createLogger(
    "info",
    new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
  );

test("effective memory is the cgroup limit when tighter than the host, never more than the host", () => {
  const bytes = effectiveMemoryBytes();
  assert.ok(bytes > 0 && bytes <= totalmem());
});

test("GET /api/v1/resources serves the agent's own budgets with pressure levels and tracked resources", async () => {
  const config = parseConfig(
    '[monitoring]\ncollection_interval = "1h"\n[server]\nport = 0\n',
    "toml",
    undefined,
  ).config;
  const agent = await startAgent({ config, logger: silent(), configuredMonitors: false });
  try {
    const handle = agent.resources.tracker.track("queue.depth", "queue");
    agent.resources.tracker.recordUsage(handle, 7);
    await agent.tick();
    const res = await fetch(`${agent.url}/api/v1/resources`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      budgets: { type: string; maxBytes: number; pressureLevel: string }[];
      tracked: { name: string; current: number }[];
      pools: unknown[];
    };
    assert.ok(body.budgets.length > 0, "platform budgets from the effective memory");
    for (const b of body.budgets) assert.equal(typeof b.pressureLevel, "string");
    assert.deepEqual(
      body.tracked.map((t) => [t.name, t.current]),
      [["queue.depth", 7]],
    );
    assert.ok(Array.isArray(body.pools));
  } finally {
    await agent.stop();
  }
});
