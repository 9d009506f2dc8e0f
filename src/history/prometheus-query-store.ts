/**
 * A HistoryStore over a Prometheus-compatible engine (Prometheus, VictoriaMetrics): the
 * dashboard and reports read many hosts from the engine that already holds their data.
 *
 * Reads use the HTTP query API: raw samples come from an instant query of a range selector
 * (`/api/v1/query?query={...}[Nms]&time=end`), which both engines answer with the stored
 * samples and their own timestamps, so step aggregates, min/max downsampling and counter
 * rates are computed here exactly as the other stores compute them; `listSeries` uses
 * `/api/v1/series`. Writes (`append`, `appendSnapshot`) are buffered and sent by `flush()` as
 * one remote-write request; with VictoriaMetrics, `flush()` also asks it to make them
 * searchable (`/internal/force_flush`) and waits until they are.
 *
 * `labels` scopes a store to part of the fleet (`{ instance: "web-1" }`): they are added to
 * every selector and write and hidden from results. Series identity is exact, as in every
 * store: a selector picks the series whose labels, less the scope labels, equal its labels.
 * Retention belongs to the engine; `applyRetention` removes nothing.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { type FetchLike, sendHttp } from "../exporters/http-transport.js";
import { encodeRawSeries, remoteWriteHeaders } from "../expose/remote-write.js";
import type { Labels, MetricsSnapshot } from "../metrics/snapshot.js";
import { counterRate, downsampleMinMax, stepAggregate } from "./aggregate.js";
import { AppendGuard } from "./append-guard.js";
import type {
  AppendResult,
  DownsampleRange,
  HistoryStats,
  HistoryStore,
  RetentionResult,
  Sample,
  SeriesHandle,
  SeriesInfo,
  SeriesSelector,
  StepPoint,
  StepRange,
  TimeRange,
} from "./history-store.js";
import { checkMaxPoints, checkRange, checkStep } from "./range.js";
import { labelsInclude, seriesKey, sortedLabels, validateSeries } from "./series.js";
import { SnapshotAppender } from "./snapshot-samples.js";

export interface PrometheusQueryStoreOptions {
  /** Base URL of the engine (`http://127.0.0.1:8428`, `http://prometheus:9090`). */
  readonly url: string;
  /** Remote-write URL for appends. Default `${url}/api/v1/write`. */
  readonly writeUrl?: string;
  /** Scope labels: added to every selector and write, hidden from results. */
  readonly labels?: Labels;
  /** `Authorization` header value for every request (never written to a message). */
  readonly authorization?: string;
  /** Per-request limit (default 10 s); past it a read is HR_UNAVAILABLE. */
  readonly timeoutMs?: number;
  /** How far back `listSeries` looks (default 7 days). */
  readonly seriesLookbackMs?: number;
  /** Wait after a VictoriaMetrics force-flush until written samples are searchable (default 10 s). */
  readonly visibleTimeoutMs?: number;
  /** Clock for `latest`, `listSeries` and the future-sample check (tests pass their own). */
  readonly now?: () => number;
  /** Replaces global fetch (tests). */
  readonly fetch?: FetchLike;
}

interface Handle extends SeriesHandle {
  lastT: number;
  pending: { t: number; v: number }[];
}

type MatrixResult = { metric: Record<string, string>; values: [number, string][] }[];

/** A PromQL string literal. */
function quote(v: string): string {
  return `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

function parseValue(s: string): number {
  if (s === "+Inf" || s === "Inf") return Number.POSITIVE_INFINITY;
  if (s === "-Inf") return Number.NEGATIVE_INFINITY;
  return Number(s);
}

function sameLabels(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/** Latest-sample look-back windows, smallest first: a live series answers from the first. */
const LATEST_WINDOWS = [5 * 60_000, 3_600_000, 86_400_000, 7 * 86_400_000, 30 * 86_400_000];

export class PrometheusQueryStore implements HistoryStore {
  readonly #url: string;
  readonly #writeUrl: string;
  readonly #scope: Labels;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #lookbackMs: number;
  readonly #visibleMs: number;
  readonly #now: () => number;
  readonly #fetch: FetchLike;
  readonly #guard: AppendGuard;
  readonly #handles = new Map<string, Handle>();
  readonly #appender: SnapshotAppender;
  #victoria: boolean | undefined;

  constructor(options: PrometheusQueryStoreOptions) {
    this.#url = options.url.replace(/\/+$/, "");
    this.#writeUrl = options.writeUrl ?? `${this.#url}/api/v1/write`;
    this.#scope = sortedLabels(options.labels ?? {});
    this.#headers = options.authorization ? { Authorization: options.authorization } : {};
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#lookbackMs = options.seriesLookbackMs ?? 7 * 86_400_000;
    this.#visibleMs = options.visibleTimeoutMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#fetch = options.fetch ?? fetch;
    this.#guard = new AppendGuard(this.#now);
    this.#appender = new SnapshotAppender({
      series: (name, labels) => this.series(name, labels),
      append: (h, t, v) => this.append(h, t, v),
      invalidSeries: () => {
        this.#guard.rejected.invalidSeries++;
      },
    });
  }

  series(name: string, labels: Labels = {}): SeriesHandle {
    const key = seriesKey(name, labels);
    const known = this.#handles.get(key);
    if (known) return known;
    validateSeries(name, labels);
    const handle: Handle = {
      id: this.#handles.size + 1,
      key,
      name,
      labels: sortedLabels(labels),
      lastT: -Infinity,
      pending: [],
    };
    this.#handles.set(key, handle);
    return handle;
  }

  append(series: SeriesHandle, timestampMs: number, value: number): boolean {
    const h = this.#handles.get(series.key);
    if (!h || !this.#guard.check(h.lastT, timestampMs, value)) return false;
    h.lastT = timestampMs;
    h.pending.push({ t: timestampMs, v: value });
    return true;
  }

  appendSnapshot(snapshot: MetricsSnapshot): AppendResult {
    return this.#appender.append(snapshot);
  }

  #selector(name: string | undefined, labels: Labels = {}): string {
    const all = { ...labels, ...this.#scope };
    const parts = name === undefined ? [] : [`__name__=${quote(name)}`];
    for (const k of Object.keys(all)) parts.push(`${k}=${quote(all[k])}`);
    if (parts.length === 0) parts.push('__name__=~".+"');
    return `{${parts.join(",")}}`;
  }

  /** Labels as the caller sees them: scope labels and `__name__` removed. */
  #visible(metric: Record<string, string>): Labels {
    const out: Record<string, string> = {};
    for (const k of Object.keys(metric).sort()) {
      if (k !== "__name__" && !(k in this.#scope)) out[k] = metric[k];
    }
    return out;
  }

  async #get<T>(path: string, params: Record<string, string | string[]>): Promise<T> {
    const u = new URL(`${this.#url}${path}`);
    for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) u.searchParams.append(k, x);
    let res: Response;
    let text: string;
    try {
      res = await this.#fetch(u, { headers: this.#headers, signal: AbortSignal.timeout(this.#timeoutMs) });
      text = await res.text();
    } catch (cause) {
      throw new HeadroomError(ErrorCode.Unavailable, `[history:prometheus] ${path} on ${this.#url} failed`, {
        data: { path },
        cause,
      });
    }
    let body: { status?: string; data?: T; error?: string } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // Not the query API (a proxy's error page, a wrong base URL): reported with the status below.
    }
    if (!res.ok || body.status !== "success" || body.data === undefined) {
      throw new HeadroomError(
        ErrorCode.Http,
        `[history:prometheus] ${path} answered ${res.status}: ${body.error ?? (text.slice(0, 200) || "no data")}`,
        { data: { path, status: res.status, query: params.query } },
      );
    }
    return body.data;
  }

  /** Raw samples of the exact series in [startMs, endMs], oldest first. */
  async #raw(selector: SeriesSelector, startMs: number, endMs: number): Promise<Sample[]> {
    const want = sortedLabels(selector.labels ?? {});
    const windowMs = Math.max(1, Math.ceil(endMs - startMs) + 1);
    const data = await this.#get<{ resultType: string; result: MatrixResult }>("/api/v1/query", {
      query: `${this.#selector(selector.name, want)}[${windowMs}ms]`,
      time: (endMs / 1000).toFixed(3),
    });
    const series = data.result.find((r) => sameLabels(this.#visible(r.metric), want));
    if (!series) return [];
    const out: Sample[] = [];
    for (const [ts, v] of series.values) {
      const t = Math.round(ts * 1000);
      if (t >= startMs && t <= endMs) out.push({ t, v: parseValue(v) });
    }
    return out;
  }

  async queryRange(selector: SeriesSelector, range: TimeRange): Promise<Sample[]> {
    checkRange(range);
    return this.#raw(selector, range.startMs, range.endMs);
  }

  async queryStep(selector: SeriesSelector, range: StepRange): Promise<StepPoint[]> {
    checkStep(range);
    const raw = await this.#raw(selector, range.startMs, range.endMs);
    return stepAggregate(
      raw.map((s) => s.t),
      raw.map((s) => s.v),
      raw.length,
      range.stepMs,
    );
  }

  async queryDownsampled(selector: SeriesSelector, range: DownsampleRange): Promise<Sample[]> {
    checkMaxPoints(range);
    const raw = await this.#raw(selector, range.startMs, range.endMs);
    const ts = raw.map((s) => s.t);
    const vs = raw.map((s) => s.v);
    return downsampleMinMax(ts, vs, raw.length, range.startMs, range.endMs, range.maxPoints);
  }

  async rate(selector: SeriesSelector, range: TimeRange): Promise<number | undefined> {
    checkRange(range);
    const raw = await this.#raw(selector, range.startMs, range.endMs);
    return counterRate(
      raw.map((s) => s.t),
      raw.map((s) => s.v),
      raw.length,
    );
  }

  async latest(selector: SeriesSelector): Promise<Sample | undefined> {
    const end = this.#now();
    for (const window of LATEST_WINDOWS) {
      const raw = await this.#raw(selector, end - window, end);
      if (raw.length > 0) return raw[raw.length - 1];
    }
    return undefined;
  }

  async listSeries(filter: { name?: string; labels?: Labels } = {}): Promise<SeriesInfo[]> {
    const end = this.#now();
    const data = await this.#get<Record<string, string>[]>("/api/v1/series", {
      "match[]": this.#selector(filter.name, filter.labels),
      start: ((end - this.#lookbackMs) / 1000).toFixed(3),
      end: ((end + 600_000) / 1000).toFixed(3),
    });
    const seen = new Map<string, SeriesInfo>();
    for (const metric of data) {
      const labels = this.#visible(metric);
      if (!labelsInclude(labels, filter.labels)) continue;
      const name = metric.__name__;
      const key = seriesKey(name, labels);
      seen.set(key, { key, name, labels });
    }
    return [...seen.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async applyRetention(): Promise<RetentionResult> {
    return { removedSamples: 0 };
  }

  async flush(): Promise<void> {
    const batch = [...this.#handles.values()].filter((h) => h.pending.length > 0);
    if (batch.length === 0) return;
    const { body } = encodeRawSeries(
      batch.map((h) => ({ name: h.name, labels: h.labels, samples: h.pending })),
      this.#scope,
    );
    const outcome = await sendHttp(
      {
        url: this.#writeUrl,
        headers: { ...remoteWriteHeaders, ...this.#headers },
        body,
        timeoutMs: this.#timeoutMs,
      },
      this.#fetch,
    );
    if (outcome.kind !== "ok") {
      // Kept for the next flush unless the engine refused them for good.
      if (outcome.kind === "reject") for (const h of batch) h.pending = [];
      throw new HeadroomError(ErrorCode.Storage, `[history:prometheus] write failed: ${outcome.reason}`, {
        data: { kind: outcome.kind },
      });
    }
    const last = batch[batch.length - 1];
    const lastT = last.pending[last.pending.length - 1].t;
    for (const h of batch) h.pending = [];
    await this.#makeVisible(last, lastT);
  }

  /** VictoriaMetrics makes new samples searchable a moment after a force-flush; wait for it. */
  async #makeVisible(h: SeriesHandle, t: number): Promise<void> {
    if (this.#victoria === false) return;
    try {
      const res = await this.#fetch(`${this.#url}/internal/force_flush`, {
        headers: this.#headers,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      await res.arrayBuffer();
      this.#victoria = res.ok;
    } catch {
      this.#victoria = false;
    }
    if (!this.#victoria) return;
    const deadline = Date.now() + this.#visibleMs;
    while (Date.now() < deadline) {
      const got = await this.#raw({ name: h.name, labels: h.labels }, t, t);
      if (got.length > 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  stats(): HistoryStats {
    return {
      series: this.#handles.size,
      accepted: this.#guard.accepted,
      rejected: { ...this.#guard.rejected },
    };
  }

  async close(): Promise<void> {
    await this.flush();
  }
}

export function openPrometheusQueryStore(options: PrometheusQueryStoreOptions): PrometheusQueryStore {
  return new PrometheusQueryStore(options);
}
