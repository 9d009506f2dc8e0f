import assert from "node:assert/strict";
import { test } from "node:test";
import { isHeadroomError } from "../errors.js";
import { parseDuration } from "./duration.js";
import { parseSelector } from "./matchers.js";
import { parseRule, parseRules } from "./rule.js";

const base = { name: "HighCpu", metric: "headroom_cpu_usage_percent", op: ">", threshold: 90 };

function rejects(spec: Record<string, unknown>, field: string, pattern: RegExp) {
  assert.throws(
    () => parseRule({ ...base, ...spec }),
    (err: unknown) => {
      assert.ok(isHeadroomError(err, "HR_CONFIG"), String(err));
      assert.match(err.message, /rule "HighCpu"/);
      assert.match(err.message, new RegExp(`field "${field.replace(".", "\\.")}`));
      assert.match(err.message, pattern);
      return true;
    },
  );
}

test("a rule compiles with selector, reduction, hysteresis and templates", () => {
  const r = parseRule({
    name: "DiskFull",
    selector: 'headroom_disk_usage_percent{mountpoint=~"/|/home",fstype!="tmpfs"}',
    reduce: "avg",
    window: "5m",
    op: ">",
    threshold: 90,
    clear: { op: "<", threshold: 80 },
    for: "2m",
    keep_firing_for: "1m",
    severity: "critical",
    labels: { team: "ops" },
    annotations: { summary: "{{ $labels.mountpoint }} at {{ $value }}% (over {{ $threshold }}%)" },
  });
  assert.equal(r.metric, "headroom_disk_usage_percent");
  assert.equal(r.matchers.length, 2);
  assert.equal(r.windowMs, 300_000);
  assert.equal(r.forMs, 120_000);
  assert.equal(r.keepFiringForMs, 60_000);
  assert.equal(r.fires(91), true);
  assert.equal(r.clears(85), false);
  assert.equal(r.clears(79), true);
  assert.equal(
    r.annotations.summary({
      value: 93.456,
      labels: { mountpoint: "/" },
      threshold: 90,
      rule: "DiskFull",
      severity: "critical",
    }),
    "/ at 93.46% (over 90%)",
  );
});

test("malformed rules are rejected at load with the rule name and field", () => {
  rejects({ op: "=>" }, "op", /unknown operator "=>"/);
  rejects({ threshold: "high" }, "op", /threshold must be a finite number/);
  rejects({ matchers: [{ name: "cpu", op: "=~", value: "(" }] }, "matchers", /bad regex/);
  rejects({ matchers: [{ name: "cpu", op: "~", value: "x" }] }, "matchers", /unknown matcher operator/);
  rejects({ for: "-5m" }, "for", /negative/);
  rejects({ keepFiringFor: -1 }, "keepFiringFor", />= 0/);
  rejects({ for: "5 minutes" }, "for", /malformed duration/);
  rejects({ reduce: "median", window: "1m" }, "reduce", /unknown reduction/);
  rejects({ reduce: "avg" }, "window", /needs a window/);
  rejects({ severity: "fatal" }, "severity", /unknown severity/);
  rejects({ noData: "ignore" }, "noData", /unknown policy/);
  rejects(
    { annotations: { summary: "{{ $labels.mountpoint }} full" } },
    "annotations.summary",
    /"mountpoint"/,
  );
  rejects({ annotations: { summary: "{{ $values }}" } }, "annotations.summary", /unsupported template/);
  rejects({ annotations: { summary: "{{ $value " } }, "annotations.summary", /unclosed/);
  rejects({ clear: { op: ">", threshold: 80 } }, "clear", /overlaps/);
  rejects({ labels: { alertname: "x" } }, "labels", /invalid label/);
  rejects({ metric: "1bad" }, "metric", /invalid metric name/);
  rejects({ selector: 'm{a="b"' }, "selector", /malformed selector/);
});

test("template labels may come from declared label names or the registry", () => {
  const spec = { ...base, annotations: { summary: "{{ $labels.cpu }}" } };
  assert.ok(parseRule({ ...spec, labelNames: ["cpu"] }));
  assert.ok(parseRule(spec, { labelNamesOf: (m) => (m === base.metric ? ["cpu"] : undefined) }));
});

test("parseRules takes a list or { rules }, rejects duplicates but allows a warning/critical pair", () => {
  assert.equal(parseRules({ rules: [base, { ...base, severity: "critical", threshold: 95 }] }).length, 2);
  assert.throws(() => parseRules([base, base]), /duplicate rule/);
  assert.throws(() => parseRules("rules"), /must be a list/);
  assert.throws(() => parseRules([null]), /must be an object/);
  assert.throws(() => parseRules([{ ...base, name: "bad name" }]), /not a valid name/);
});

test("durations and selectors parse strictly", () => {
  assert.equal(parseDuration("1h30m", "x"), 5_400_000);
  assert.equal(parseDuration("500ms", "x"), 500);
  assert.equal(parseDuration(0, "x"), 0);
  assert.throws(() => parseDuration("", "x"));
  assert.throws(() => parseDuration(Number.NaN, "x"));
  assert.throws(() => parseDuration("5mm", "x"));
  assert.deepEqual(parseSelector('up{job="a\\"b"}', "x"), {
    metric: "up",
    matchers: [{ name: "job", op: "=", value: 'a"b' }],
  });
  assert.deepEqual(parseSelector('{severity="critical"}', "x").matchers.length, 1);
  assert.throws(() => parseSelector("up{job=a}", "x"), /malformed matcher/);
});
