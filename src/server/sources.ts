/**
 * What the HTTP server reads. The agent's composition root implements these over the registry,
 * the scheduler, history, the alert engine and the resource manager; tests implement them with
 * plain objects. Every member except `renderMetrics`, `snapshot`, `health` and `subscribe` is
 * optional: an absent part answers 404 with a JSON body that says it is not enabled.
 */
import type { HistoryStore } from "../history/history-store.js";
import type { MetricsSnapshot } from "../metrics/snapshot.js";

export interface RenderedMetrics {
  readonly contentType: string;
  readonly body: string;
}

export interface AlertView {
  readonly name: string;
  readonly state: "pending" | "firing" | "resolved" | "inactive";
  readonly severity: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value?: number;
  /** When the alert entered its current state (ms since epoch). */
  readonly sinceMs?: number;
  readonly summary?: string;
  /** True while a silence matches it: still shown, not notified. */
  readonly silenced?: boolean;
}

export interface SilenceView {
  readonly id: string;
  /** Equality matchers on alert labels (`alertname` included). */
  readonly matchers: Readonly<Record<string, string>>;
  readonly startsAtMs: number;
  readonly endsAtMs: number;
  readonly comment: string;
  readonly createdBy: string;
}

export interface SilenceInput {
  readonly matchers: Record<string, string>;
  readonly durationMs: number;
  readonly comment: string;
  readonly createdBy: string;
}

export interface AlertsSource {
  /** Pending and firing alerts, plus resolved ones still in the engine's memory. */
  alerts(): readonly AlertView[];
  silences(): readonly SilenceView[];
  /** Adds a silence; throws HR_INVALID_ARGUMENT for matchers the engine cannot use. */
  addSilence(input: SilenceInput): SilenceView;
  /** Expires a silence now; false when the id is unknown. */
  removeSilence(id: string): boolean;
}

export interface MonitorView {
  readonly monitorId: string;
  readonly ok: boolean | undefined;
  readonly lastDurationMs: number | undefined;
  readonly lastError: string | undefined;
  readonly runs: number;
  readonly failures: number;
}

export interface HealthView {
  readonly status: "ok" | "degraded";
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly problems: readonly string[];
}

/** One message on the live stream: the scalar series of a fresh sample set. */
export interface LiveSample {
  readonly t: number;
  /** `[seriesKey, value]` pairs; seriesKey is `name{label="v",...}` with labels sorted. */
  readonly values: ReadonlyArray<readonly [string, number]>;
}

export interface ServerSources {
  /** Encodes a fresh collect for `/metrics`, negotiating on the Accept header. */
  renderMetrics(accept: string | undefined): Promise<RenderedMetrics>;
  /** The newest sample set (cheap; the one the scheduler produced last). */
  snapshot(): MetricsSnapshot;
  health(): HealthView;
  /** True once the first tick has completed and history is open. */
  ready(): boolean;
  /** Calls `listener` after every tick until the returned function is called. */
  subscribe(listener: (sample: LiveSample) => void): () => void;
  history?: HistoryStore;
  monitors?: () => readonly MonitorView[];
  alerts?: AlertsSource;
  /** Tracked resources, budgets and pools, as plain JSON. */
  resources?: () => unknown;
}
