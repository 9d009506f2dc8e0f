/**
 * The update loop of seed 000 ("the engine calls update() on all registered monitors"), with
 * node_exporter's isolation: each monitor is timed, a monitor that throws or hangs is reported
 * (`headroom_monitor_duration_seconds{monitor}`, `headroom_monitor_success{monitor}`, its last
 * error in `status()`) and never stops or delays the others past the timeout.
 */
import { errorMessage } from "../errors.js";
import type { Registry } from "../metrics/registry.js";
import type { MonitorRegistry } from "./monitor-registry.js";
import type { ResourceMonitor } from "./resource-monitor.js";

export interface MonitorRunResult {
  readonly monitorId: string;
  readonly ok: boolean;
  /** Wall time of the update, or of the wait until the timeout. */
  readonly durationMs: number;
  readonly timedOut: boolean;
  /** True when the previous update was still running, so this tick did not start another. */
  readonly skipped: boolean;
  readonly error?: string;
}

export interface MonitorStatus {
  readonly monitorId: string;
  readonly runs: number;
  readonly failures: number;
  readonly lastSuccess: boolean | undefined;
  readonly lastDurationMs: number | undefined;
  readonly lastError: string | undefined;
  /** When the last error happened (ms since epoch). */
  readonly lastErrorAtMs: number | undefined;
  /** An update is still pending (a hung monitor stays here until its promise settles). */
  readonly inFlight: boolean;
}

export interface MonitorSchedulerOptions {
  /** Time between the end of one tick and the start of the next. Default 10 000 ms. */
  intervalMs?: number;
  /** How long one update may take before it counts as failed. Default: the interval, at most 10 s. */
  timeoutMs?: number;
  /** Where the per-monitor duration and success gauges go; omitted, only `status()` has them. */
  metrics?: Registry;
  /** Called once per monitor per tick (logging, alerting on monitor failures). Must not throw. */
  onResult?: (result: MonitorRunResult) => void;
}

export interface MonitorScheduler {
  /** Runs a first tick now, then one every `intervalMs`. Idempotent. */
  start(): void;
  /** Stops the loop and waits for a tick in progress (not for hung monitors). */
  stop(): Promise<void>;
  /** Runs one tick now: every registered monitor once, concurrently. Never rejects. */
  tick(): Promise<MonitorRunResult[]>;
  /** One entry per monitor seen so far. */
  status(): MonitorStatus[];
  readonly running: boolean;
}

interface State {
  runs: number;
  failures: number;
  lastSuccess: boolean | undefined;
  lastDurationMs: number | undefined;
  lastError: string | undefined;
  lastErrorAtMs: number | undefined;
  inFlight: Promise<void> | undefined;
}

const TIMED_OUT = Symbol("timeout");

export function createMonitorScheduler(
  monitors: MonitorRegistry,
  options: MonitorSchedulerOptions = {},
): MonitorScheduler {
  const intervalMs = options.intervalMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? Math.min(intervalMs, 10_000);
  const states = new Map<string, State>();
  const duration = options.metrics?.gauge({
    name: "headroom_monitor_duration_seconds",
    help: "Seconds the last update of each monitor took.",
    labelNames: ["monitor"],
  });
  const success = options.metrics?.gauge({
    name: "headroom_monitor_success",
    help: "Whether the last update of each monitor succeeded (1) or failed or timed out (0).",
    labelNames: ["monitor"],
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let current: Promise<MonitorRunResult[]> | undefined;

  function stateOf(id: string): State {
    let s = states.get(id);
    if (!s) {
      s = {
        runs: 0,
        failures: 0,
        lastSuccess: undefined,
        lastDurationMs: undefined,
        lastError: undefined,
        lastErrorAtMs: undefined,
        inFlight: undefined,
      };
      states.set(id, s);
    }
    return s;
  }

  function record(s: State, r: MonitorRunResult): MonitorRunResult {
    s.runs++;
    s.lastSuccess = r.ok;
    s.lastDurationMs = r.durationMs;
    if (!r.ok) {
      s.failures++;
      s.lastError = r.error;
      s.lastErrorAtMs = Date.now();
    }
    const labels = { monitor: r.monitorId };
    duration?.set(labels, r.durationMs / 1000);
    success?.set(labels, r.ok ? 1 : 0);
    try {
      options.onResult?.(r);
    } catch {
      // A faulty listener must not turn into a monitor failure.
    }
    return r;
  }

  async function runOne(monitor: ResourceMonitor): Promise<MonitorRunResult> {
    const monitorId = monitor.monitorId();
    const s = stateOf(monitorId);
    if (s.inFlight) {
      return record(s, {
        monitorId,
        ok: false,
        durationMs: 0,
        timedOut: true,
        skipped: true,
        error: `[monitors] ${monitorId}: previous update still running`,
      });
    }
    const start = performance.now();
    let returned: void | Promise<void>;
    try {
      returned = monitor.update();
    } catch (err) {
      return record(s, failed(monitorId, start, err));
    }
    // A synchronous update (the host monitors, throttled ones between walks) is already done:
    // no timeout to arm, and its duration is its own rather than the batch's.
    if (typeof (returned as Promise<void> | undefined)?.then !== "function")
      return record(s, succeeded(monitorId, start));
    const settled = Promise.resolve(returned);
    const tracked = settled.then(
      () => undefined,
      () => undefined,
    );
    s.inFlight = tracked;
    void tracked.then(() => {
      if (s.inFlight === tracked) s.inFlight = undefined;
    });
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
      timeout = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    });
    try {
      const outcome = await Promise.race([settled, timedOut]);
      if (outcome === TIMED_OUT) {
        return record(s, {
          monitorId,
          ok: false,
          durationMs: performance.now() - start,
          timedOut: true,
          skipped: false,
          error: `[monitors] ${monitorId}: update timed out after ${timeoutMs} ms`,
        });
      }
      return record(s, succeeded(monitorId, start));
    } catch (err) {
      return record(s, failed(monitorId, start, err));
    } finally {
      clearTimeout(timeout);
    }
  }

  function forgetRemoved(present: ResourceMonitor[]): void {
    const ids = new Set(present.map((m) => m.monitorId()));
    for (const id of states.keys()) {
      if (ids.has(id)) continue;
      states.delete(id);
      duration?.remove({ monitor: id });
      success?.remove({ monitor: id });
    }
  }

  async function tick(): Promise<MonitorRunResult[]> {
    const list = monitors.getRegisteredMonitors();
    forgetRemoved(list);
    return Promise.all(list.map(runOne));
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => {
      current = tick();
      void current.then(schedule);
    }, intervalMs);
    // The loop alone never keeps a process alive; the agent's server or the app does.
    timer.unref?.();
  }

  return {
    get running() {
      return running;
    },
    start() {
      if (running) return;
      running = true;
      current = tick();
      void current.then(schedule);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await current;
    },
    tick,
    status() {
      return [...states.entries()].map(([monitorId, s]) => ({
        monitorId,
        runs: s.runs,
        failures: s.failures,
        lastSuccess: s.lastSuccess,
        lastDurationMs: s.lastDurationMs,
        lastError: s.lastError,
        lastErrorAtMs: s.lastErrorAtMs,
        inFlight: s.inFlight !== undefined,
      }));
    },
  };
}

function succeeded(monitorId: string, start: number): MonitorRunResult {
  return { monitorId, ok: true, durationMs: performance.now() - start, timedOut: false, skipped: false };
}

function failed(monitorId: string, start: number, err: unknown): MonitorRunResult {
  return {
    monitorId,
    ok: false,
    durationMs: performance.now() - start,
    timedOut: false,
    skipped: false,
    error: errorMessage(err),
  };
}
