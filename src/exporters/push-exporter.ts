/**
 * The one push loop every network exporter shares: `push()` cuts snapshots into pieces of at
 * most `batchSize` samples and queues them (bounded, optionally journaled on disk); a timer
 * every `flushInterval`, or a full batch, sends them in order, one request at a time.
 *
 * Delivery: a batch leaves the queue only when the destination accepted it or refused it for
 * good; a retryable failure keeps it at the head and waits (Retry-After when the destination
 * says, else exponential backoff with jitter) before the same bytes are sent again. Samples
 * keep the timestamp of their snapshot, so a resent batch can never land at another time.
 */
import { errorMessage } from "../errors.js";
import type { Registry } from "../metrics/registry.js";
import type { MetricsSnapshot } from "../metrics/snapshot.js";
import { type BackoffOptions, backoffDelay } from "./backoff.js";
import { splitSnapshot } from "./batch.js";
import type { Exporter, ExporterStats } from "./exporter.js";
import type { SendOutcome } from "./http-transport.js";
import { SampleQueue } from "./sample-queue.js";
import { DropReason, type ExporterMetrics, exporterMetrics } from "./self-metrics.js";
import { Spool } from "./spool.js";

/** What a transport reports for one batch: the outcome plus samples it could not encode. */
export type TransportResult = SendOutcome & { readonly skipped?: number };

/** Sends one batch (the snapshots of the queued pieces, oldest first). May throw: that counts as retryable. */
export type Transport = (batch: readonly MetricsSnapshot[]) => Promise<TransportResult>;

export interface PushExporterOptions {
  /** The `exporter` label of the self-metrics and the name in messages. */
  readonly name: string;
  /** Destination kind reported by `type` (`remote_write`, `influxdb`...). */
  readonly type: string;
  /** Sends one batch; called by the push loop only, one call at a time, oldest batch first. */
  readonly transport: Transport;
  /** Most samples per request (seed 003 `batch_size`). Default 100. */
  readonly batchSize?: number;
  /** Send at least this often, in ms (seed 003 `flush_interval`). Default 30 s; 0 turns the timer off. */
  readonly flushIntervalMs?: number;
  /** Queue bound in samples. Default max(10 000, 100 x batchSize). */
  readonly maxQueueSamples?: number;
  /** Journal the queue here so a restart does not lose queued samples. */
  readonly spoolDir?: string;
  /**
   * Last value wins (Pushgateway): a push replaces whatever is still queued, and a snapshot is
   * never split into batches. Default false.
   */
  readonly coalesce?: boolean;
  /** Registry for the self-metrics. */
  readonly registry?: Registry;
  /** Retry timing after a retryable failure (default 500 ms doubling to 30 s, with jitter). */
  readonly backoff?: BackoffOptions;
  /** Longest Retry-After honoured, in ms (default 5 min); a longer one is cut to this. */
  readonly maxRetryAfterMs?: number;
  /** Clock in ms since the epoch (tests pass their own); timers still use real time. */
  readonly now?: () => number;
}

export class PushExporter implements Exporter {
  readonly name: string;
  readonly type: string;
  readonly #transport: Transport;
  readonly #batchSize: number;
  readonly #coalesce: boolean;
  readonly #queue: SampleQueue;
  readonly #metrics: ExporterMetrics;
  readonly #backoff: BackoffOptions;
  readonly #maxRetryAfterMs: number;
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #attempt = 0;
  #retryAt = 0;
  #closed = false;
  #stats = {
    sent: 0,
    failed: 0,
    dropped: 0,
    retries: 0,
    lastSuccessMs: 0,
    lastError: undefined as string | undefined,
  };

  constructor(options: PushExporterOptions) {
    this.name = options.name;
    this.type = options.type;
    this.#transport = options.transport;
    this.#batchSize = Math.max(1, Math.floor(options.batchSize ?? 100));
    this.#coalesce = options.coalesce ?? false;
    const bound = Math.max(
      this.#batchSize,
      options.maxQueueSamples ?? Math.max(10_000, 100 * this.#batchSize),
    );
    this.#queue = new SampleQueue(
      bound,
      options.spoolDir ? new Spool(options.spoolDir, options.name) : undefined,
    );
    this.#metrics = exporterMetrics(options.registry, options.name);
    this.#backoff = options.backoff ?? {};
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 300_000;
    this.#now = options.now ?? Date.now;
    this.#metrics.queue(this.#queue.samples);
    const interval = options.flushIntervalMs ?? 30_000;
    if (interval > 0) {
      this.#timer = setInterval(() => void this.flush(), interval);
      this.#timer.unref?.();
    }
  }

  push(snapshot: MetricsSnapshot): void {
    if (this.#closed) {
      // Nothing will ever send it: count it rather than lose it silently.
      let n = 0;
      for (const p of splitSnapshot(snapshot, this.#batchSize)) n += p.samples;
      this.#drop(DropReason.Closed, n);
      return;
    }
    if (this.#coalesce) {
      this.#queue.clearQueued();
      const pieces = splitSnapshot(snapshot, Number.MAX_SAFE_INTEGER);
      for (const piece of pieces) {
        const dropped = this.#queue.add(piece.snapshot, piece.samples);
        if (dropped > 0) this.#drop(DropReason.QueueFull, dropped);
      }
      this.#metrics.queue(this.#queue.samples);
      if (this.#now() >= this.#retryAt) void this.flush();
      return;
    }
    for (const piece of splitSnapshot(snapshot, this.#batchSize)) {
      const dropped = this.#queue.add(piece.snapshot, piece.samples);
      if (dropped > 0) this.#drop(DropReason.QueueFull, dropped);
    }
    this.#metrics.queue(this.#queue.samples);
    if (this.#queue.samples >= this.#batchSize && this.#now() >= this.#retryAt) void this.flush();
  }

  flush(): Promise<void> {
    if (this.#closed) return this.#running ?? Promise.resolve();
    return this.#run(false);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    clearTimeout(this.#retryTimer);
    await this.#running;
    await this.#run(true);
    this.#queue.sync();
  }

  stats(): ExporterStats {
    const lastError = this.#stats.lastError ?? this.#queue.spoolError;
    return { ...this.#stats, lastError, queuedSamples: this.#queue.samples };
  }

  #drop(reason: DropReason, n: number): void {
    this.#stats.dropped += n;
    this.#metrics.dropped(reason, n);
  }

  #run(force: boolean): Promise<void> {
    this.#running ??= this.#pump(force).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  #scheduleRetry(waitMs: number): void {
    if (this.#closed) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => void this.flush(), waitMs + 1);
    this.#retryTimer.unref?.();
  }

  async #pump(force: boolean): Promise<void> {
    while (this.#queue.length > 0) {
      const early = this.#retryAt - this.#now();
      if (!force && early > 0) {
        // A timer may fire a little before the clock says the wait is over: wait out the rest.
        this.#scheduleRetry(early);
        return;
      }
      const entries = this.#queue.take(this.#coalesce ? 0 : this.#batchSize);
      let samples = 0;
      for (const e of entries) samples += e.samples;
      let result: TransportResult;
      try {
        result = await this.#transport(entries.map((e) => e.snapshot));
      } catch (err) {
        result = { kind: "retry", reason: errorMessage(err) };
      }
      const skipped = Math.min(samples, result.skipped ?? 0);
      if (result.kind === "retry") {
        this.#queue.release();
        this.#stats.retries++;
        this.#stats.lastError = result.reason;
        this.#metrics.retry();
        const wait =
          result.retryAfterMs !== undefined
            ? Math.min(result.retryAfterMs, this.#maxRetryAfterMs)
            : backoffDelay(this.#attempt, this.#backoff);
        this.#attempt++;
        this.#retryAt = this.#now() + wait;
        this.#scheduleRetry(wait);
        return;
      }
      this.#queue.ack();
      if (skipped > 0) this.#drop(DropReason.Unencodable, skipped);
      if (result.kind === "ok") {
        this.#stats.sent += samples - skipped;
        this.#stats.lastSuccessMs = this.#now();
        this.#stats.lastError = undefined;
        this.#metrics.sent(samples - skipped);
        this.#metrics.success(this.#stats.lastSuccessMs);
      } else {
        this.#stats.failed += samples - skipped;
        this.#stats.lastError = result.reason;
        this.#metrics.failed(samples - skipped);
      }
      this.#attempt = 0;
      this.#retryAt = 0;
      this.#metrics.queue(this.#queue.samples);
      force = false;
    }
  }
}
