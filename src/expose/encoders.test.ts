import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { buildExpositionRegistry } from "../../test/metrics/exposition-registry.js";
import { createRegistry } from "../metrics/registry.js";
import { escapeHelp, escapeLabelValue, formatNumber } from "./format.js";
import { negotiateExposition } from "./negotiate.js";
import { encodeOpenMetrics, OPENMETRICS_CONTENT_TYPE } from "./openmetrics.js";
import { encodePrometheusText, PROMETHEUS_CONTENT_TYPE } from "./prometheus-text.js";

const golden = (name: string) => new URL(`../../test/golden/metrics/${name}`, import.meta.url);

function matchesGolden(name: string, actual: string) {
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(golden(name), actual);
  assert.equal(actual, readFileSync(golden(name), "utf8"));
}

describe("exposition encoders", () => {
  it("render the every-type registry as the Prometheus 0.0.4 golden file", () => {
    matchesGolden("every-type.prom", encodePrometheusText(buildExpositionRegistry().snapshot()));
  });

  it("render the every-type registry as the OpenMetrics 1.0 golden file", () => {
    matchesGolden("every-type.om", encodeOpenMetrics(buildExpositionRegistry().snapshot()));
  });

  it("escape label values and help text", () => {
    assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
    assert.equal(escapeHelp('x\\y\n"z"', false), 'x\\\\y\\n"z"');
    assert.equal(escapeHelp('x\\y\n"z"', true), 'x\\\\y\\n\\"z\\"');
    assert.equal(formatNumber(Number.NaN), "NaN");
    assert.equal(formatNumber(Number.POSITIVE_INFINITY), "+Inf");
    assert.equal(formatNumber(Number.NEGATIVE_INFINITY), "-Inf");
  });

  it("never mutate metrics and render the same text twice", () => {
    const r = buildExpositionRegistry();
    const first = encodePrometheusText(r.snapshot());
    assert.equal(encodePrometheusText(r.snapshot()), first);
  });

  it("keep HELP and TYPE for a family with no series and end OpenMetrics with # EOF", () => {
    const r = createRegistry();
    r.counter({ name: "nothing_yet_total", help: "Empty.", labelNames: ["a"] });
    assert.equal(
      encodePrometheusText(r.snapshot()),
      "# HELP nothing_yet_total Empty.\n# TYPE nothing_yet_total counter\n",
    );
    assert.ok(encodeOpenMetrics(r.snapshot()).endsWith("# EOF\n"));
  });
});

describe("OpenMetrics counters", () => {
  it("append _total to a counter named without it", () => {
    const r = createRegistry({ now: () => 1_700_000_000_000 });
    r.counter({ name: "jobs_done", help: "Jobs." }).inc(4);
    assert.equal(
      encodeOpenMetrics(r.snapshot()),
      "# TYPE jobs_done counter\n# HELP jobs_done Jobs.\njobs_done_total 4\njobs_done_created 1700000000\n# EOF\n",
    );
  });
});

describe("content negotiation", () => {
  it("picks OpenMetrics only when the client prefers it", () => {
    const prometheusScraper =
      "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
    assert.equal(negotiateExposition(prometheusScraper).contentType, OPENMETRICS_CONTENT_TYPE);
    assert.equal(negotiateExposition("text/plain").contentType, PROMETHEUS_CONTENT_TYPE);
    assert.equal(negotiateExposition(undefined).contentType, PROMETHEUS_CONTENT_TYPE);
    assert.equal(negotiateExposition("garbage;;q=x,,").contentType, PROMETHEUS_CONTENT_TYPE);
    assert.equal(
      negotiateExposition("text/plain;q=0.9,application/openmetrics-text;q=0.1").contentType,
      PROMETHEUS_CONTENT_TYPE,
    );
  });
});

describe("hand-built snapshots", () => {
  it("format a labels object shared by two families under each family's own name", () => {
    const labels = Object.freeze({ host: "a" });
    const text = encodePrometheusText({
      timestampMs: 0,
      families: [
        {
          name: "one",
          type: "gauge",
          help: "1",
          unit: "",
          labelNames: ["host"],
          series: [{ labels, value: 1 }],
        },
        {
          name: "two",
          type: "gauge",
          help: "2",
          unit: "",
          labelNames: ["host"],
          series: [{ labels, value: 2 }],
        },
      ],
    });
    assert.match(text, /^one\{host="a"\} 1$/m);
    assert.match(text, /^two\{host="a"\} 2$/m);
  });
});
