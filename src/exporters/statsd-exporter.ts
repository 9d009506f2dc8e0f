/**
 * StatsD / DogStatsD over UDP. Fire and forget, as the protocol is: no queue survives an
 * outage (a datagram to a stopped daemon is simply lost, and UDP rarely says so), no retries.
 * Snapshots are encoded when pushed (counter increases need each snapshot in turn) and the
 * lines are sent on the next flush in datagrams of at most `maxDatagramBytes`. A send error
 * counts the datagram's lines as failed.
 */
import { createSocket, type Socket } from "node:dgram";
import { encodeStatsd, packDatagrams, type StatsdOptions, type StatsdState } from "../expose/statsd.js";
import type { Registry } from "../metrics/registry.js";
import type { MetricsSnapshot } from "../metrics/snapshot.js";
import type { Exporter, ExporterStats } from "./exporter.js";
import { DropReason, exporterMetrics } from "./self-metrics.js";

export interface StatsdExporterOptions extends StatsdOptions {
  /** The `exporter` label of the self-metrics. */
  readonly name: string;
  /** Daemon address; default 127.0.0.1. */
  readonly host?: string;
  /** Default 8125. */
  readonly port?: number;
  /** Default 1432 (fits a 1500-byte MTU with IP and UDP headers). */
  readonly maxDatagramBytes?: number;
  /** Lines kept between flushes at most; older ones are dropped and counted. Default 100 000. */
  readonly maxQueuedLines?: number;
  /** Default 10 s; 0 turns the timer off. */
  readonly flushIntervalMs?: number;
  /** Where the self-metrics go. */
  readonly registry?: Registry;
}

export function createStatsdExporter(options: StatsdExporterOptions): Exporter {
  const metrics = exporterMetrics(options.registry, options.name);
  const state: StatsdState = new Map();
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 8125;
  const maxLines = options.maxQueuedLines ?? 100_000;
  const stats = {
    sent: 0,
    failed: 0,
    dropped: 0,
    retries: 0,
    lastSuccessMs: 0,
    lastError: undefined as string | undefined,
  };
  let lines: string[] = [];
  let socket: Socket | undefined;
  let closed = false;
  const drop = (reason: DropReason, n: number) => {
    stats.dropped += n;
    metrics.dropped(reason, n);
  };
  const send = (datagram: string, count: number) =>
    new Promise<void>((resolve) => {
      socket ??= createSocket(host.includes(":") ? "udp6" : "udp4");
      socket.send(datagram, port, host, (err) => {
        if (err) {
          stats.failed += count;
          stats.lastError = `send to ${host}:${port} failed: ${err.message}`;
          metrics.failed(count);
        } else {
          stats.sent += count;
          stats.lastSuccessMs = Date.now();
          stats.lastError = undefined;
          metrics.sent(count);
          metrics.success(stats.lastSuccessMs);
        }
        resolve();
      });
    });
  const flush = async () => {
    const pending = lines;
    lines = [];
    metrics.queue(0);
    for (const datagram of packDatagrams(pending, options.maxDatagramBytes ?? 1432)) {
      await send(datagram, datagram.split("\n").length);
    }
  };
  const interval = options.flushIntervalMs ?? 10_000;
  const timer = interval > 0 ? setInterval(() => void flush(), interval) : undefined;
  timer?.unref?.();
  return {
    name: options.name,
    type: options.flavor ?? "dogstatsd",
    push(snapshot: MetricsSnapshot) {
      const out = encodeStatsd(snapshot, state, options);
      if (out.skipped > 0) drop(DropReason.Unencodable, out.skipped);
      if (closed) {
        drop(DropReason.Closed, out.lines.length);
        return;
      }
      lines.push(...out.lines);
      if (lines.length > maxLines)
        drop(DropReason.QueueFull, lines.splice(0, lines.length - maxLines).length);
      metrics.queue(lines.length);
    },
    flush,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await flush();
      socket?.close();
      socket = undefined;
    },
    stats(): ExporterStats {
      return { ...stats, queuedSamples: lines.length };
    },
  };
}
