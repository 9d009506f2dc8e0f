/**
 * Network interfaces: node_exporter's netdev series
 * (`node_network_receive_bytes_total{device}`, ... both directions, all 16 fields of
 * /proc/net/dev), include/exclude filters on the device name, and per-interface byte and packet
 * rates as `headroom_network_*_per_second`.
 */
import type { Counter } from "../../metrics/counter.js";
import type { Gauge } from "../../metrics/gauge.js";
import type { Registry } from "../../metrics/registry.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";
import { parseNetDev, RECEIVE_FIELDS, TRANSMIT_FIELDS } from "./netdev.js";
import { type HostRoots, ProcFiles, resolveRoots } from "./proc-file.js";
import { RateTracker } from "./rate-tracker.js";

export interface NetworkMonitorOptions {
  roots?: Partial<HostRoots>;
  id?: string;
  /** Only devices matching this are kept (node_exporter's `--collector.netdev.device-include`). */
  deviceInclude?: RegExp;
  /** Devices matching this are skipped (`--collector.netdev.device-exclude`). Default: none. */
  deviceExclude?: RegExp;
}

/** The seed's NetworkMetrics totals (without the per-interface list). */
export interface NetworkTotals {
  bytesSent: number;
  bytesReceived: number;
  packetsSent: number;
  packetsReceived: number;
  errorsSent: number;
  errorsReceived: number;
  /** Receive + transmit bytes per second since the last sample. */
  bandwidthBytesPerSec: number;
}

export class NetworkMonitor implements ResourceMonitor {
  readonly #id: string;
  readonly #proc: ProcFiles;
  readonly #include: RegExp | undefined;
  readonly #exclude: RegExp | undefined;
  readonly #rx: [string, Counter<"device">][];
  readonly #tx: [string, Counter<"device">][];
  readonly #rates: Record<string, Gauge<"device">>;
  readonly #tracker = new RateTracker();
  #devices = new Set<string>();
  #totals: NetworkTotals | undefined;
  #report: ResourceUsageReport = { currentBytes: 0, peakBytes: 0 };

  constructor(registry: Registry, options: NetworkMonitorOptions = {}) {
    this.#id = options.id ?? "host.network";
    this.#proc = new ProcFiles(resolveRoots(options.roots).procfs);
    this.#include = options.deviceInclude;
    this.#exclude = options.deviceExclude;
    const counter = (dir: string, f: string) =>
      registry.counter({
        name: `node_network_${dir}_${f}_total`,
        help: `Network device statistic ${dir}_${f}.`,
        labelNames: ["device"],
      });
    this.#rx = RECEIVE_FIELDS.map((f) => [f, counter("receive", f)]);
    this.#tx = TRANSMIT_FIELDS.map((f) => [f, counter("transmit", f)]);
    const gauge = (name: string, help: string) => registry.gauge({ name, help, labelNames: ["device"] });
    this.#rates = {
      rxBytes: gauge(
        "headroom_network_receive_bytes_per_second",
        "Bytes received per second since the last sample.",
      ),
      txBytes: gauge(
        "headroom_network_transmit_bytes_per_second",
        "Bytes sent per second since the last sample.",
      ),
      rxPackets: gauge(
        "headroom_network_receive_packets_per_second",
        "Packets received per second since the last sample.",
      ),
      txPackets: gauge(
        "headroom_network_transmit_packets_per_second",
        "Packets sent per second since the last sample.",
      ),
    };
  }

  monitorId(): string {
    return this.#id;
  }

  resourceType() {
    return MonitoredResourceType.Network;
  }

  /** Bytes per second in both directions over the kept interfaces (a rate: no capacity). */
  getUsageReport(): ResourceUsageReport {
    return this.#report;
  }

  /** The seed's NetworkMetrics totals from the last update. */
  getNetworkTotals(): NetworkTotals | undefined {
    return this.#totals;
  }

  update(): void {
    const all = parseNetDev(this.#proc.read("net/dev"));
    const now = performance.now();
    const present = new Set<string>();
    const t: NetworkTotals = {
      bytesSent: 0,
      bytesReceived: 0,
      packetsSent: 0,
      packetsReceived: 0,
      errorsSent: 0,
      errorsReceived: 0,
      bandwidthBytesPerSec: 0,
    };
    for (const d of all) {
      if (this.#include && !this.#include.test(d.device)) continue;
      if (this.#exclude?.test(d.device)) continue;
      present.add(d.device);
      const labels = { device: d.device };
      for (const [f, c] of this.#rx) c.setTotal(labels, d.receive[f as keyof typeof d.receive]);
      for (const [f, c] of this.#tx) c.setTotal(labels, d.transmit[f as keyof typeof d.transmit]);
      const pairs: [string, number][] = [
        ["rxBytes", d.receive.bytes],
        ["txBytes", d.transmit.bytes],
        ["rxPackets", d.receive.packets],
        ["txPackets", d.transmit.packets],
      ];
      for (const [k, v] of pairs) {
        const r = this.#tracker.rate(`${d.device}\0${k}`, v, now);
        if (r === undefined) continue;
        this.#rates[k].set(labels, r);
        if (k === "rxBytes" || k === "txBytes") t.bandwidthBytesPerSec += r;
      }
      t.bytesReceived += d.receive.bytes;
      t.bytesSent += d.transmit.bytes;
      t.packetsReceived += d.receive.packets;
      t.packetsSent += d.transmit.packets;
      t.errorsReceived += d.receive.errs;
      t.errorsSent += d.transmit.errs;
    }
    for (const gone of this.#devices) {
      if (present.has(gone)) continue;
      for (const [, c] of [...this.#rx, ...this.#tx]) c.remove({ device: gone });
      for (const g of Object.values(this.#rates)) g.remove({ device: gone });
    }
    this.#tracker.retain(present);
    this.#devices = present;
    this.#totals = t;
    const bw = t.bandwidthBytesPerSec;
    this.#report = { currentBytes: bw, peakBytes: Math.max(this.#report.peakBytes, bw) };
  }

  close(): void {
    this.#proc.close();
  }
}
