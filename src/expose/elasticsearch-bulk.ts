/**
 * Elasticsearch / OpenSearch `_bulk` NDJSON: one action line and one document per series per
 * snapshot, each line ending in `\n` (the API rejects a body without the final newline).
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html
 *
 * Documents: `{"@timestamp", "name", "type", "unit", "labels": {...}, "value"}` for counters,
 * gauges, info and statesets; histograms carry `sum`, `count`, `bounds` (finite upper bounds)
 * and `bucketCounts` (cumulative, one more than `bounds`, the last for +Inf); summaries carry
 * `sum`, `count` and `quantiles: [{quantile, value}]`.
 *
 * Each document gets a deterministic `_id` (series identity plus timestamp) and the `create`
 * action, so a batch retried after a lost response is refused per document (409) instead of
 * being indexed twice. JSON has no NaN or infinities: a series whose value is not finite is
 * left out and counted in `skipped`; a non-finite sum or quantile is written as null.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import type { Labels, MetricFamily, MetricsSnapshot } from "../metrics/snapshot.js";

export interface ElasticsearchBulkOptions {
  /**
   * Index name with `{yyyy}`, `{MM}`, `{dd}`, `{HH}` (UTC, from the snapshot time) and `{name}`
   * (the metric name, lower-cased) placeholders. Default `headroom-metrics-{yyyy}.{MM}.{dd}`.
   */
  readonly indexPattern?: string;
  /** Fields added to every document's `labels` (`host`, `instance`); a series' own label wins. */
  readonly defaultLabels?: Labels;
}

export interface ElasticsearchBulk {
  readonly body: string;
  readonly documents: number;
  readonly skipped: number;
}

const PLACEHOLDER = /\{(yyyy|MM|dd|HH|name)\}/g;

/** Throws HR_CONFIG when the pattern cannot produce a valid index name. */
export function validateIndexPattern(pattern: string): void {
  const fixed = pattern.replace(PLACEHOLDER, "x");
  const bad = /[A-Z\\/*?"<>| ,#:{}]/.exec(fixed);
  if (fixed === "" || bad || /^[-_+.]/.test(fixed)) {
    throw new HeadroomError(
      ErrorCode.Config,
      `[exporter:elasticsearch] index pattern "${pattern}" is not a valid index name${bad ? ` (character "${bad[0]}")` : ""}`,
      { data: { indexPattern: pattern } },
    );
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The index a document of `name` taken at `ms` goes to. */
export function indexName(pattern: string, ms: number, name: string): string {
  const d = new Date(ms);
  return pattern.replace(PLACEHOLDER, (_, token: string) => {
    switch (token) {
      case "yyyy":
        return String(d.getUTCFullYear());
      case "MM":
        return pad(d.getUTCMonth() + 1);
      case "dd":
        return pad(d.getUTCDate());
      case "HH":
        return pad(d.getUTCHours());
      default:
        return name.toLowerCase();
    }
  });
}

/** A 53-bit string hash (cyrb53), hex: enough to tell series apart in a document id. */
function hash53(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function sortedLabels(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) out[k] = labels[k];
  return out;
}

function document(
  family: MetricFamily,
  index: number,
  base: Record<string, unknown>,
): Record<string, unknown> | null {
  if (family.type === "histogram") {
    const s = family.series[index];
    return {
      ...base,
      sum: finiteOrNull(s.sum),
      count: s.count,
      bounds: family.buckets,
      bucketCounts: s.counts,
    };
  }
  if (family.type === "summary") {
    const s = family.series[index];
    const quantiles = s.quantiles.map((q) => ({ quantile: q.quantile, value: finiteOrNull(q.value) }));
    return { ...base, sum: finiteOrNull(s.sum), count: s.count, quantiles };
  }
  const value = family.series[index].value;
  return Number.isFinite(value) ? { ...base, value } : null;
}

/** Encodes the snapshots as a `_bulk` body. */
export function encodeElasticsearchBulk(
  snapshots: MetricsSnapshot | readonly MetricsSnapshot[],
  options: ElasticsearchBulkOptions = {},
): ElasticsearchBulk {
  const list = Array.isArray(snapshots) ? snapshots : [snapshots as MetricsSnapshot];
  const pattern = options.indexPattern ?? "headroom-metrics-{yyyy}.{MM}.{dd}";
  validateIndexPattern(pattern);
  const lines: string[] = [];
  let documents = 0;
  let skipped = 0;
  for (const snapshot of list) {
    const timestamp = new Date(snapshot.timestampMs).toISOString();
    for (const family of snapshot.families) {
      const index = indexName(pattern, snapshot.timestampMs, family.name);
      for (let i = 0; i < family.series.length; i++) {
        const labels = sortedLabels({ ...options.defaultLabels, ...family.series[i].labels });
        const base = {
          "@timestamp": timestamp,
          name: family.name,
          type: family.type,
          unit: family.unit,
          labels,
        };
        const doc = document(family, i, base);
        if (doc === null) {
          skipped++;
          continue;
        }
        const id = `${hash53(`${family.name}${JSON.stringify(labels)}`)}-${Math.trunc(snapshot.timestampMs)}`;
        lines.push(JSON.stringify({ create: { _index: index, _id: id } }), JSON.stringify(doc));
        documents++;
      }
    }
  }
  return { body: lines.length ? `${lines.join("\n")}\n` : "", documents, skipped };
}
