import assert from "node:assert/strict";
import { test } from "node:test";
import { createExporter } from "../exporters/create-exporter.js";
import { createRegistry } from "../metrics/registry.js";
import { parseConfig } from "./config-load.js";
import { exporterConfig } from "./pipeline.js";

function load(body: string) {
  const loaded = parseConfig(`[[monitoring.exporters]]\nname = "x"\n${body}`, "toml", "agent.toml");
  assert.deepEqual(loaded.warnings, []);
  const e = loaded.config.monitoring.exporters[0];
  assert.ok(e);
  return exporterConfig(e, undefined);
}

/** Builds the exporter the agent would, then closes it (nothing is sent). */
async function builds(config: ReturnType<typeof load>, type: string): Promise<void> {
  const exporter = createExporter(config, { registry: createRegistry(), env: {} });
  try {
    assert.equal(exporter.name, "x");
    assert.ok(exporter.type.length > 0, type);
  } finally {
    await exporter.close();
  }
}

test("pushgateway: job, method, timeout, headers (kept as written) and backoff bounds", async () => {
  const c = load(`type = "pushgateway"
endpoint = "http://127.0.0.1:9091"
job = "agents"
method = "POST"
timeout = "3s"
min_backoff = "250ms"
max_backoff = "1m"
max_queue_samples = 5000
headers = { "x-scope-orgid" = "team-a" }
`);
  assert.equal(c.type, "pushgateway");
  assert.equal(c.job, "agents");
  assert.equal(c.method, "POST");
  assert.equal(c.timeoutMs, 3000);
  assert.equal(c.minBackoffMs, 250);
  assert.equal(c.maxBackoffMs, 60_000);
  assert.equal(c.maxQueueSamples, 5000);
  assert.deepEqual(c.headers, { "x-scope-orgid": "team-a" });
  await builds(c, "pushgateway");
});

test("statsd and dogstatsd take udp://host:port; an http endpoint is refused for them", async () => {
  for (const type of ["statsd", "dogstatsd"]) {
    const c = load(`type = "${type}"\nendpoint = "udp://127.0.0.1:8125"\nmax_queue_samples = 100\n`);
    assert.equal(c.type, type);
    await builds(c, type);
    assert.throws(
      () => load(`type = "${type}"\nendpoint = "http://127.0.0.1:8125"\n`),
      /monitoring\.exporters\[0\]\.endpoint.*udp/s,
    );
  }
  assert.throws(() => load(`type = "influxdb"\nendpoint = "udp://127.0.0.1:8125"\n`), /http\(s\)/);
});

test("opensearch: index pattern and gzip", async () => {
  const c = load(`type = "opensearch"
endpoint = "http://127.0.0.1:9200"
index_pattern = "headroom-{yyyy}.{MM}.{dd}"
gzip = true
`);
  assert.equal(c.indexPattern, "headroom-{yyyy}.{MM}.{dd}");
  assert.equal(c.gzip, true);
  await builds(c, "opensearch");
});

test("influxdb precision; bad values name the key", async () => {
  const c = load(`type = "influxdb"\nendpoint = "http://127.0.0.1:8086/write"\nprecision = "s"\n`);
  assert.equal(c.precision, "s");
  await builds(c, "influxdb");
  assert.throws(
    () => load(`type = "influxdb"\nendpoint = "http://127.0.0.1:8086/write"\nprecision = "minutes"\n`),
    /precision/,
  );
  assert.throws(
    () => load(`type = "pushgateway"\nendpoint = "http://127.0.0.1:9091"\nmethod = "GET"\n`),
    /method/,
  );
  assert.throws(
    () => load(`type = "otlp"\nendpoint = "http://127.0.0.1:4318"\ntimeout = "soon"\n`),
    /timeout/,
  );
});
