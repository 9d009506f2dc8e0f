import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { startAgent } from "../../agent/agent.js";
import { parseConfig } from "../../agent/config-load.js";
import { createLogger } from "../../agent/logger.js";
import { createApiClient } from "../api-client.js";
import type { CliIo } from "../io.js";
import { createStyle } from "../style.js";
import { formatReport, runReport, summarize } from "./report.js";

test("summaries and the three formats; CSV quotes series keys with commas and quotes", () => {
  const r = summarize('x{a="1",b="q\\"x"}', [
    [0, 1],
    [1000, 3],
  ]);
  assert.deepEqual([r.count, r.min, r.max, r.mean, r.last], [2, 1, 3, 2, 3]);
  const csv = formatReport("csv", [r], 0);
  assert.equal(csv.split("\n")[0], "series,timestamp,value");
  assert.match(csv, /^"x\{a=""1"",b=""q\\""x""\}",1970-01-01T00:00:00\.000Z,1$/m);
  assert.deepEqual(JSON.parse(formatReport("json", [r], 0)).series[0].points, r.points);
  assert.match(formatReport("text", [summarize("empty", [])], 0), /empty\s+0\s+-\s+-\s+-\s+-/);
});

test("report reads history from a running agent; bad flags are usage errors", async () => {
  const quiet = createLogger("warn", new Writable({ write: (_c, _e, cb) => cb() }));
  const config = parseConfig(
    '[server]\nport = 0\n[monitoring]\ncollection_interval = "1h"\n',
    "toml",
    "r.toml",
  ).config;
  const agent = await startAgent({ config, logger: quiet, configuredMonitors: false, autoTick: false });
  try {
    const g = agent.registry.gauge({ name: "report_value", help: "A value for the report test." });
    g.set(4);
    await agent.tick();
    await new Promise((r) => setTimeout(r, 5));
    g.set(8);
    await agent.tick();
    let out = "";
    const io: CliIo = {
      out: (t) => {
        out += t;
      },
      err: () => {},
      env: {},
      isTty: false,
      style: createStyle(false),
    };
    const client = createApiClient(agent.url!, {});
    assert.equal(await runReport({ since: "1h", format: "json", series: ["report_value"] }, client, io), 0);
    const report = JSON.parse(out);
    assert.deepEqual([report.series[0].min, report.series[0].max, report.series[0].last], [4, 8, 8]);
    out = "";
    assert.equal(await runReport({ since: "1h", format: "text" }, client, io), 0);
    assert.match(out, /report_value\s+2\s+4\s+6\s+8\s+8/);
    await assert.rejects(
      runReport({ since: "soon", format: "text" }, client, io),
      /--since: expected a duration/,
    );
    await assert.rejects(
      runReport({ since: "1h", format: "xml" }, client, io),
      /--format: expected text, json or csv/,
    );
    await assert.rejects(
      runReport({ since: "1h", format: "text", series: ["bad name"] }, client, io),
      /HTTP 400.*not a metric name/,
    );
  } finally {
    await agent.stop();
  }
});
