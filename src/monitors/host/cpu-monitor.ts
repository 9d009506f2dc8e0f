/**
 * CPU: time per core and mode (node_exporter's `node_cpu_seconds_total{cpu,mode}`, guest time
 * apart in `node_cpu_guest_seconds_total` since the kernel already counts it inside user/nice),
 * load averages, core count, frequency (cpufreq, else /proc/cpuinfo), temperature (hwmon and
 * thermal zones) when the host has sensors, and the busy ratio per core and in total computed
 * like psutil, as the seed's usage percent.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { CounterHandle } from "../../metrics/counter.js";
import type { GaugeHandle } from "../../metrics/gauge.js";
import type { Registry } from "../../metrics/registry.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";
import { type CpuTimes, cpuBusyRatio, parseCpuinfo, parseStat } from "./cpu-stat.js";
import { LazyGauge } from "./lazy-metric.js";
import { type HostRoots, isMissing, ProcFiles, resolveRoots } from "./proc-file.js";
import { parseLoadavg } from "./system-parse.js";

const MODES = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"] as const;

export interface CpuMonitorOptions {
  roots?: Partial<HostRoots>;
  /** Monitor id; default `host.cpu`. */
  id?: string;
}

interface Sensor {
  labels: Record<string, string>;
  path: string;
  kind: "hwmon" | "thermal";
}

export class CpuMonitor implements ResourceMonitor {
  readonly #id: string;
  readonly #sysfsRoot: string;
  readonly #proc: ProcFiles;
  readonly #sys: ProcFiles;
  readonly #seconds;
  readonly #guest;
  readonly #load;
  readonly #usage;
  readonly #coreUsage;
  readonly #cores;
  readonly #scalingHz;
  readonly #freqHz;
  readonly #hwmon;
  readonly #thermal;
  readonly #temp;
  #prevTotal: CpuTimes | undefined;
  #prevCores = new Map<number, CpuTimes>();
  readonly #perCpu = new Map<
    number,
    { seconds: CounterHandle[]; guestUser: CounterHandle; guestNice: CounterHandle; usage: GaugeHandle }
  >();
  #sensors: Sensor[] | undefined;
  #cpuinfo: { values: Map<string, number>; atMs: number } | undefined;
  #report: ResourceUsageReport = { currentBytes: 0, peakBytes: 0 };

  constructor(registry: Registry, options: CpuMonitorOptions = {}) {
    const roots = resolveRoots(options.roots);
    this.#id = options.id ?? "host.cpu";
    this.#proc = new ProcFiles(roots.procfs);
    this.#sys = new ProcFiles(roots.sysfs);
    this.#sysfsRoot = roots.sysfs;
    this.#seconds = registry.counter({
      name: "node_cpu_seconds_total",
      help: "Seconds the CPUs spent in each mode.",
      labelNames: ["cpu", "mode"],
    });
    this.#guest = registry.counter({
      name: "node_cpu_guest_seconds_total",
      help: "Seconds the CPUs spent in guests (VMs) for each mode.",
      labelNames: ["cpu", "mode"],
    });
    this.#load = ["1", "5", "15"].map(
      (m) => new LazyGauge(registry, { name: `node_load${m}`, help: `${m}m load average.` }),
    );
    this.#usage = new LazyGauge(registry, {
      name: "headroom_cpu_usage_percent",
      help: "Busy time of all CPUs since the last sample, in percent (psutil's definition: iowait is idle, steal is busy).",
    });
    this.#coreUsage = registry.gauge({
      name: "headroom_cpu_core_usage_percent",
      help: "Busy time of each CPU since the last sample, in percent.",
      labelNames: ["cpu"],
    });
    this.#cores = new LazyGauge(registry, {
      name: "headroom_cpu_cores",
      help: "Online CPU cores on the host.",
    });
    this.#scalingHz = registry.gauge({
      name: "node_cpu_scaling_frequency_hertz",
      help: "Current scaled CPU thread frequency in hertz.",
      labelNames: ["cpu"],
    });
    this.#freqHz = registry.gauge({
      name: "headroom_cpu_frequency_hertz",
      help: "Current CPU frequency in hertz (cpufreq, else /proc/cpuinfo).",
      labelNames: ["cpu"],
    });
    this.#hwmon = registry.gauge({
      name: "node_hwmon_temp_celsius",
      help: "Hardware monitor for temperature (input).",
      labelNames: ["chip", "sensor"],
    });
    this.#thermal = registry.gauge({
      name: "node_thermal_zone_temp",
      help: "Zone temperature in Celsius.",
      labelNames: ["type", "zone"],
    });
    this.#temp = new LazyGauge(registry, {
      name: "headroom_cpu_temperature_celsius",
      help: "Highest temperature reported by the host's sensors.",
    });
  }

  /** Bound handles per core, resolved once: the labels never change for a core. */
  #handles(cpu: number) {
    let h = this.#perCpu.get(cpu);
    if (!h) {
      const label = String(cpu);
      h = {
        seconds: MODES.map((mode) => this.#seconds.labels({ cpu: label, mode })),
        guestUser: this.#guest.labels({ cpu: label, mode: "user" }),
        guestNice: this.#guest.labels({ cpu: label, mode: "nice" }),
        usage: this.#coreUsage.labels({ cpu: label }),
      };
      this.#perCpu.set(cpu, h);
    }
    return h;
  }

  monitorId(): string {
    return this.#id;
  }

  resourceType() {
    return MonitoredResourceType.Cpu;
  }

  /** Busy cores (usage ratio x cores) against the core count, so capacity checks read as percent. */
  getUsageReport(): ResourceUsageReport {
    return this.#report;
  }

  update(): void {
    // Parse everything first: a malformed file fails the reading before any series is touched.
    const stat = parseStat(this.#proc.read("stat"));
    const load = parseLoadavg(this.#proc.read("loadavg"));
    const freqs = this.#frequencies(stat.cpus.map((c) => c.cpu));

    for (const { cpu, times } of stat.cpus) {
      const h = this.#handles(cpu);
      for (let i = 0; i < MODES.length; i++) h.seconds[i].setTotal(times[MODES[i]]);
      h.guestUser.setTotal(times.guest);
      h.guestNice.setTotal(times.guestNice);
      const prev = this.#prevCores.get(cpu);
      const ratio = prev ? cpuBusyRatio(prev, times) : undefined;
      if (ratio !== undefined) h.usage.set(ratio * 100);
      this.#prevCores.set(cpu, times);
    }
    const total = this.#prevTotal ? cpuBusyRatio(this.#prevTotal, stat.total) : undefined;
    this.#prevTotal = stat.total;
    if (total !== undefined) this.#usage.set(total * 100);
    this.#load[0].set(load.load1);
    this.#load[1].set(load.load5);
    this.#load[2].set(load.load15);
    const cores = stat.cpus.length;
    this.#cores.set(cores);
    for (const [cpu, f] of freqs.values) {
      this.#freqHz.set({ cpu }, f);
      if (freqs.fromCpufreq) this.#scalingHz.set({ cpu }, f);
    }
    this.#readTemperatures();

    const busy = total === undefined ? this.#report.currentBytes : total * cores;
    this.#report = {
      currentBytes: busy,
      peakBytes: Math.max(this.#report.peakBytes, busy),
      totalCapacityBytes: cores,
    };
  }

  #frequencies(cpus: number[]): { values: Map<string, number>; fromCpufreq: boolean } {
    const values = new Map<string, number>();
    for (const cpu of cpus) {
      const khz = this.#sys.readOptional(`devices/system/cpu/cpu${cpu}/cpufreq/scaling_cur_freq`);
      if (khz === undefined) break;
      const n = Number(khz.trim());
      if (Number.isFinite(n) && n > 0) values.set(String(cpu), n * 1000);
    }
    if (values.size > 0) return { values, fromCpufreq: true };
    // /proc/cpuinfo is long (kilobytes per core) and, on x86, asks every core for its clock:
    // without cpufreq (most VMs) the value barely moves, so it is re-read every 10 s only.
    const now = performance.now();
    if (this.#cpuinfo && now - this.#cpuinfo.atMs < 10_000)
      return { values: this.#cpuinfo.values, fromCpufreq: false };
    const info = this.#proc.readOptional("cpuinfo");
    if (info !== undefined) {
      for (const e of parseCpuinfo(info))
        if (e.mhz !== undefined) values.set(String(e.processor), e.mhz * 1e6);
    }
    this.#cpuinfo = { values, atMs: now };
    return { values, fromCpufreq: false };
  }

  #discoverSensors(): Sensor[] {
    const out: Sensor[] = [];
    const list = (dir: string): string[] => {
      try {
        return readdirSync(dir);
      } catch (err) {
        if (isMissing(err)) return [];
        throw err;
      }
    };
    const hwmonDir = join(this.#sysfsRoot, "class/hwmon");
    for (const h of list(hwmonDir)) {
      const name = this.#sys.readOptional(`class/hwmon/${h}/name`)?.trim() ?? h;
      for (const f of list(join(hwmonDir, h))) {
        const m = /^temp(\d+)_input$/.exec(f);
        if (m)
          out.push({
            kind: "hwmon",
            labels: { chip: `${h}_${name}`, sensor: `temp${m[1]}` },
            path: `class/hwmon/${h}/${f}`,
          });
      }
    }
    for (const z of list(join(this.#sysfsRoot, "class/thermal"))) {
      const m = /^thermal_zone(\d+)$/.exec(z);
      if (!m) continue;
      const type = this.#sys.readOptional(`class/thermal/${z}/type`)?.trim() ?? "";
      out.push({ kind: "thermal", labels: { type, zone: m[1] }, path: `class/thermal/${z}/temp` });
    }
    return out;
  }

  #readTemperatures(): void {
    this.#sensors ??= this.#discoverSensors();
    let max: number | undefined;
    for (const s of this.#sensors) {
      let text: string | undefined;
      try {
        text = this.#sys.readOptional(s.path);
      } catch {
        // Some sensors answer EIO or ENODATA while asleep: skip that sensor, not the CPU reading.
        continue;
      }
      const milli = text === undefined ? Number.NaN : Number(text.trim());
      if (!Number.isFinite(milli)) continue;
      const c = milli / 1000;
      if (s.kind === "hwmon") this.#hwmon.set(s.labels as { chip: string; sensor: string }, c);
      else this.#thermal.set(s.labels as { type: string; zone: string }, c);
      max = max === undefined ? c : Math.max(max, c);
    }
    if (max !== undefined) this.#temp.set(max);
  }

  close(): void {
    this.#proc.close();
    this.#sys.close();
  }
}
