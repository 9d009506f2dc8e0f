import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { exportPrometheusRules, importPrometheusRules, ruleExpr } from "./prometheus-rules.js";
import { parseRule, parseRules } from "./rule.js";
import { rulesFromThresholds } from "./thresholds.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/alerts/${name}`, import.meta.url), "utf8");

test("expressions: plain, windowed, and hysteresis through ALERTS", () => {
  assert.equal(
    ruleExpr(parseRule({ name: "A", selector: 'm{a="b"}', op: ">=", threshold: 1.5 })),
    'm{a="b"} >= 1.5',
  );
  assert.equal(
    ruleExpr(
      parseRule({ name: "A", metric: "c_total", reduce: "rate", window: "5m", op: ">", threshold: 10 }),
    ),
    "rate(c_total[5m]) > 10",
  );
  assert.equal(
    ruleExpr(
      parseRule({
        name: "Disk",
        metric: "d",
        op: ">",
        threshold: 90,
        clear: { op: "<", threshold: 80 },
        labels: { team: "x" },
      }),
    ),
    '(d > 90) or ((d >= 80) and ignoring(alertstate, alertname, severity, team) ALERTS{alertname="Disk",alertstate="firing",severity="warning"})',
  );
});

test("export then import gives back the same rules", () => {
  const rules = parseRules([
    ...rulesFromThresholds({ cpu_usage_percent: 80, disk_usage_percent: 90, process_count: 1000 }),
    {
      name: "Rate",
      metric: "c_total",
      reduce: "rate",
      window: "90s",
      op: ">",
      threshold: 3,
      keepFiringFor: "2m",
    },
  ]);
  const yaml = exportPrometheusRules(rules, { interval: "30s" });
  assert.match(yaml, /keep_firing_for: 2m/);
  assert.match(yaml, /summary: CPU usage is \{\{ \$value \}\}% \(threshold 80%\)/);
  const back = parseRules(importPrometheusRules(yaml).rules);
  assert.deepEqual(
    back.map((r) => [
      r.name,
      r.metric,
      r.reduce,
      r.windowMs,
      r.op,
      r.threshold,
      r.clear,
      r.forMs,
      r.keepFiringForMs,
      r.severity,
    ]),
    rules.map((r) => [
      r.name,
      r.metric,
      r.reduce,
      r.windowMs,
      r.op,
      r.threshold,
      r.clear,
      r.forMs,
      r.keepFiringForMs,
      r.severity,
    ]),
  );
});

test("imports the fitting subset of a real-world rule file and names what does not fit", () => {
  const text = fixture("node-exporter-rules.yml");
  assert.throws(
    () => importPrometheusRules(text),
    /group "node" rule "HostOutOfMemory": field "expr" .* does not fit the rule model/,
  );
  const { rules, skipped } = importPrometheusRules(text, { skipUnsupported: true });
  assert.deepEqual(
    rules.map((r) => r.name),
    ["HostHighLoad", "HostDiskFull", "HostNetworkErrors"],
  );
  assert.deepEqual(
    skipped.map((s) => s.rule),
    ["HostOutOfMemory", "node:cpu:ratio", "HostBadSeverity"],
  );
  assert.match(skipped[1].reason, /recording rules/);
  assert.match(skipped[2].reason, /label "severity" is "page"/);
  assert.equal(parseRules(rules).length, 3);
});

test("malformed rule files are rejected with HR_PARSE", () => {
  assert.throws(() => importPrometheusRules("groups: [oops"), /not valid YAML/);
  assert.throws(() => importPrometheusRules("rules: []"), /top-level "groups"/);
  assert.throws(
    () => importPrometheusRules("groups:\n- name: g\n  rules: 3\n"),
    /field "rules" is not a list/,
  );
  assert.throws(
    () => importPrometheusRules("groups:\n- name: g\n  rules:\n  - alert: X\n"),
    /field "expr" is missing/,
  );
});
