import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { isHeadroomError } from "../errors.js";
import { loadConfig, parseConfig, seedCompatibleToml } from "./config-load.js";
import { DEFAULT_PORT } from "./config-schema.js";
import { formatDuration, parseDuration } from "./duration.js";
import { suggest } from "./suggest.js";

const fixture = (name: string) => join(import.meta.dirname, "../../test/fixtures/agent", name);

test("durations: units, compounds, bare seconds, garbage", () => {
  assert.equal(parseDuration("30s"), 30_000);
  assert.equal(parseDuration("5m"), 300_000);
  assert.equal(parseDuration("7d"), 7 * 86_400_000);
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("250ms"), 250);
  assert.equal(parseDuration(2), 2000);
  assert.equal(parseDuration("1.5"), 1500);
  for (const bad of ["ten", "", "5x", "s", "5m junk", "-1s", "1e3s"])
    assert.equal(parseDuration(bad), undefined, bad);
  assert.equal(parseDuration(-1), undefined);
  assert.equal(formatDuration(5_400_000), "1h30m");
  assert.equal(formatDuration(1250), "1s250ms");
});

test("embedded defaults are a complete config on loopback at the documented port", () => {
  const { config, warnings } = loadConfig(undefined);
  assert.deepEqual(warnings, []);
  assert.equal(config.server.address, "127.0.0.1");
  assert.equal(config.server.port, DEFAULT_PORT);
  assert.equal(config.monitoring.collectionInterval, 5000);
  assert.equal(config.monitoring.thresholds.cpuUsagePercent, 80);
  assert.equal(config.monitoring.thresholds.processCount, 1000);
  assert.equal(config.monitoring.alerting.cooldownPeriod, 300_000);
  assert.equal(config.monitors.cpu.enabled, true);
});

test("the seed's production example loads unchanged", () => {
  const { config, warnings } = loadConfig(fixture("seed-production.toml"));
  assert.deepEqual(warnings, []);
  assert.equal(config.monitoring.collectionInterval, 10_000);
  assert.equal(config.monitoring.retentionPeriod, 30 * 86_400_000);
  assert.equal(config.monitoring.thresholds.cpuUsagePercent, 70);
  assert.equal(config.monitoring.alerting.cooldownPeriod, 120_000);
  assert.equal(config.monitoring.exporters.length, 1);
  assert.equal(config.monitoring.exporters[0].type, "prometheus");
  assert.equal(config.monitoring.exporters[0].flushInterval, 30_000);
});

test("seed TOML rewriting leaves strict TOML alone", () => {
  const strict = 'a = "5s"\nb = 5\n[x]\nc = [1, 2]\n';
  assert.equal(seedCompatibleToml(strict), strict);
  assert.equal(seedCompatibleToml("interval = 5m # five"), 'interval = "5m" # five');
});

test("a bad duration names the file, the key path as written and what was expected", () => {
  assert.throws(
    () => parseConfig('[monitoring]\ncollection_interval = "ten"\n', "toml", "agent.toml"),
    (err: unknown) =>
      isHeadroomError(err, "HR_CONFIG") &&
      err.message.includes(
        'agent.toml: monitoring.collection_interval: expected a duration like "10s", got "ten"',
      ),
  );
});

test("wrong types and enums are reported with the path and the received value", () => {
  assert.throws(
    () => parseConfig('{"server":{"port":"high"},"log":{"level":"loud"}}', "json", "c.json"),
    (err: unknown) =>
      isHeadroomError(err) &&
      err.message.includes('server.port: expected number, got "high"') &&
      err.message.includes('log.level: expected one of "trace"'),
  );
  assert.throws(
    () =>
      parseConfig(
        '[[monitoring.exporters]]\nname = "x"\ntype = "graphite"\nendpoint = "not a url"\n',
        "toml",
        "e.toml",
      ),
    (err: unknown) =>
      isHeadroomError(err) &&
      /monitoring\.exporters\[0\]\.type/.test(err.message) &&
      /endpoint/.test(err.message),
  );
});

test("unknown keys warn with a typo suggestion and do not stop loading", () => {
  const { config, warnings } = parseConfig(
    '[monitoring]\ncolection_interval = "1s"\n[server]\nprot = 1\nwhatever = 2\n',
    "toml",
    "t.toml",
  );
  assert.equal(config.monitoring.collectionInterval, 5000);
  assert.equal(warnings.length, 3);
  assert.match(
    warnings[0],
    /unknown key monitoring\.colection_interval \(did you mean "collection_interval"\?\)/,
  );
  assert.match(warnings[1], /server\.prot \(did you mean "port"\?\)/);
  assert.doesNotMatch(warnings[2], /did you mean/);
  assert.equal(suggest("xyzzy", ["port", "path"]), undefined);
});

test("malformed, missing and non-object files fail with the file named", () => {
  assert.throws(
    () => parseConfig("[monitoring\nx = 1", "toml", "bad.toml"),
    (err: unknown) =>
      isHeadroomError(err, "HR_PARSE") && /^\[config\] bad\.toml:\d+:\d+: not valid TOML/.test(err.message),
  );
  assert.throws(() => parseConfig("{", "json", "bad.json"), /bad\.json: not valid JSON/);
  assert.throws(() => parseConfig("[1]", "json", "arr.json"), /expected a table/);
  assert.throws(
    () => loadConfig("/nonexistent/headroom.toml"),
    (err: unknown) =>
      isHeadroomError(err, "HR_CONFIG") && err.message.includes("/nonexistent/headroom.toml: no such file"),
  );
});

test("environment: $-brace interpolation and HEADROOM_* overrides for secrets", () => {
  const file = fixture("env-secrets.toml");
  const { config } = loadConfig(file, {
    env: {
      INFLUX_USER: "ops",
      HEADROOM_EXPORTER_INFLUX_MAIN_PASSWORD: "s3cret",
      HEADROOM_PORT: "9911",
      HEADROOM_TOKEN: "tok-123456789",
    },
  });
  assert.deepEqual(config.monitoring.exporters[0].credentials, { username: "ops", password: "s3cret" });
  assert.equal(config.server.port, 9911);
  assert.equal(config.server.auth.token, "tok-123456789");
  assert.throws(
    () => loadConfig(file, { env: {} }),
    /credentials\.username: environment variable INFLUX_USER is not set/,
  );
});

test("a non-loopback address needs auth or an explicit allow_open", () => {
  assert.throws(
    () => parseConfig('[server]\naddress = "0.0.0.0"\n', "toml", "o.toml"),
    /server\.address: "0\.0\.0\.0" is reachable/,
  );
  const open = parseConfig('[server]\naddress = "0.0.0.0"\nallow_open = true\n', "toml", "o.toml");
  assert.match(open.warnings[0], /NO authentication/);
  const authed = parseConfig(
    '[server]\naddress = "0.0.0.0"\nauth = { token = "abcdefghij" }\n',
    "toml",
    "o.toml",
  );
  assert.deepEqual(authed.warnings, []);
});

test("rule labels keep their spelling; camelCase JSON is accepted", () => {
  const { config } = parseConfig(
    JSON.stringify({
      monitoring: {
        collectionInterval: "1s",
        alerting: {
          rules: [{ name: "r", series: "x", labels: { device_name: "sda" }, threshold: 1, for: "10s" }],
        },
      },
    }),
    "json",
    "c.json",
  );
  assert.equal(config.monitoring.collectionInterval, 1000);
  assert.deepEqual(config.monitoring.alerting.rules[0].labels, { device_name: "sda" });
  assert.equal(config.monitoring.alerting.rules[0].for, 10_000);
});
