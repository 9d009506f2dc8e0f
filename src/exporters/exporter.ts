/**
 * The Exporter contract: how Headroom pushes numbers to the engines a fleet already runs
 * (Prometheus remote write, VictoriaMetrics, InfluxDB, OTLP collectors, Elasticsearch).
 * One interface, a memory implementation (`memory-exporter.ts`), one conformance suite
 * (`conformance.ts`) that every implementation runs.
 *
 * An exporter only moves bytes: encoding is a pure function in `src/expose/`, the exporter
 * adds batching, a bounded (optionally disk-backed) queue, retries and self-metrics.
 */
import type { MetricsSnapshot } from "../metrics/snapshot.js";

export interface ExporterStats {
  /** Samples the destination accepted. */
  readonly sent: number;
  /** Samples the destination refused for good (a 4xx other than 408/429); not retried. */
  readonly failed: number;
  /** Samples dropped before sending: queue full, or a value the protocol cannot carry. */
  readonly dropped: number;
  /** Send attempts that failed in a retryable way (5xx, 429, timeout, connection error). */
  readonly retries: number;
  /** Samples waiting in the queue now. */
  readonly queuedSamples: number;
  /** When the destination last accepted a batch (ms since epoch), or 0. */
  readonly lastSuccessMs: number;
  /** The last failure, credentials removed; undefined after a success. */
  readonly lastError?: string;
}

export interface Exporter {
  /** The configured name (`[[monitoring.exporters]] name`), used as the `exporter` label. */
  readonly name: string;
  /** The destination kind (`remote_write`, `influxdb`, `otlp`, `elasticsearch`, `memory`...). */
  readonly type: string;

  /**
   * Queues a snapshot for sending. Called by the agent after each collection. Never throws and
   * never waits on the network: when the queue would pass its bound, the oldest queued samples
   * are dropped and counted. A full batch (`batchSize` samples) starts a send in the background.
   */
  push(snapshot: MetricsSnapshot): void;

  /**
   * Sends what is queued now, in order, in batches of at most `batchSize` samples. Resolves when
   * the queue is empty or when the destination failed in a retryable way (the batch stays
   * queued and a retry is scheduled with backoff). Never rejects.
   */
  flush(): Promise<void>;

  /**
   * Stops the flush timer, makes one last attempt to send, and keeps what is left on disk when
   * a spool directory is configured (it is sent after the next start). Idempotent.
   */
  close(): Promise<void>;

  /** Counters for the self-metrics and the status API. */
  stats(): ExporterStats;
}
