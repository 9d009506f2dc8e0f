/**
 * The notification pipeline, Alertmanager's model: alerts are grouped per channel by labels,
 * a new group waits `groupWait`, then is re-examined every `groupInterval`; a notification goes
 * out when the group gained a firing alert or one of its notified alerts resolved, or when
 * `repeatInterval` passed. The notification log (per group and channel) deduplicates, also across
 * restarts. Silences and inhibition mute alerts; the seed's cooldown is a minimum gap between two
 * notifications of one group to one channel, deferring (never dropping) the next one. A resolved
 * alert leaves its group only once a notification that includes it was delivered, so resolves
 * are never lost to a failing channel. Deliveries run beside evaluation and never block it.
 */
import type { Labels } from "../metrics/snapshot.js";
import { type Alert, commonLabels, type Notification } from "./alert.js";
import type { AlertChannel } from "./channels/channel.js";
import { defaultRetry, deliver, type RetryOptions } from "./delivery.js";
import { parseDuration } from "./duration.js";
import { compileInhibitRules, type InhibitRule } from "./inhibit.js";
import { type CompiledMatcher, compileMatchers, type LabelMatcher, matchesAll } from "./matchers.js";
import { createSilences, type Silences } from "./silences.js";
import type { NotificationLogEntry } from "./state-store.js";

export interface RouteOptions {
  /** Labels that split alerts into groups; `["..."]` makes every alert its own group. Default `["alertname"]`. */
  groupBy?: string[];
  groupWait?: string | number;
  groupInterval?: string | number;
  repeatInterval?: string | number;
  /** Minimum gap between two notifications of one group (the seed's `cooldown_period`). */
  cooldown?: string | number;
  /** Send a notification when alerts resolve (default true). */
  sendResolved?: boolean;
  retry?: Partial<RetryOptions>;
  /** Deliveries to one channel in flight at once (default 8); more wait their turn. */
  maxConcurrent?: number;
}

export interface ChannelRoute extends RouteOptions {
  channel: AlertChannel;
  /** Only alerts matching these go to the channel (default: all). */
  matchers?: LabelMatcher[];
}

export interface NotifierOptions extends RouteOptions {
  channels: ChannelRoute[];
  silences?: Silences;
  inhibitRules?: readonly InhibitRule[];
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ChannelStats {
  readonly channel: string;
  readonly sent: number;
  /** Notifications given up after the last retry (or a non-retryable error). */
  readonly failed: number;
  /** Failed attempts, retried or not. */
  readonly failedAttempts: number;
  readonly inFlight: number;
  readonly lastError: string;
  readonly lastErrorAtMs: number;
}

export interface Notifier {
  readonly silences: Silences;
  /** Called by the engine with alerts whose notified status changed. Cheap; never throws. */
  update(alerts: readonly Alert[], nowMs?: number): void;
  /** Flushes the groups that are due at `nowMs`; deliveries start and run in the background. */
  tick(nowMs?: number): void;
  /** Resolves once every delivery started so far has finished (tests, shutdown). */
  idle(): Promise<void>;
  /** The alerts the notifier holds, with whether each is muted right now. */
  alerts(): (Alert & { silenced: boolean; inhibited: boolean })[];
  stats(): ChannelStats[];
  exportLog(): NotificationLogEntry[];
  importLog(entries: readonly NotificationLogEntry[]): void;
  /** Bumped when the log or silences change, so the engine knows when to save. */
  version(): number;
  /** Runs `tick` every `intervalMs` until `close()`. */
  start(intervalMs?: number): void;
  close(): Promise<void>;
}

interface Route {
  channel: AlertChannel;
  matchers: CompiledMatcher[];
  groupBy: string[] | "all";
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  cooldownMs: number;
  sendResolved: boolean;
  retry: RetryOptions;
  /** Runs a delivery when fewer than `maxConcurrent` of this channel's are in flight. */
  limit: <T>(job: () => Promise<T>) => Promise<T>;
}

interface Group {
  readonly route: Route;
  readonly key: string;
  readonly labels: Labels;
  readonly fps: Set<string>;
  nextFlushMs: number;
  delivering: boolean;
}

interface LogEntry {
  /** Fingerprint to the state it was announced in (firing, nodata, error). */
  firing: Map<string, string>;
  resolved: Set<string>;
  sentAtMs: number;
}

interface MutableStats {
  channel: string;
  sent: number;
  failed: number;
  failedAttempts: number;
  inFlight: number;
  lastError: string;
  lastErrorAtMs: number;
}

function compileRoute(route: ChannelRoute, d: NotifierOptions): Route {
  // Precedence: the route as given, then what the channel asks for (Alertmanager wants no
  // grouping and a short resend), then the notifier-wide defaults.
  const r: ChannelRoute = { ...route.channel.routeDefaults, ...stripUndefined(route) };
  const where = `channel "${r.channel.name}"`;
  const dur = (v: string | number | undefined, dflt: string | number, f: string) =>
    parseDuration(v ?? dflt, `${where} ${f}`);
  const groupBy = r.groupBy ?? d.groupBy ?? ["alertname"];
  return {
    channel: r.channel,
    matchers: compileMatchers(r.matchers ?? [], where),
    groupBy: groupBy.includes("...") ? "all" : [...groupBy].sort(),
    groupWaitMs: dur(r.groupWait, d.groupWait ?? "30s", "groupWait"),
    groupIntervalMs: dur(r.groupInterval, d.groupInterval ?? "5m", "groupInterval"),
    repeatIntervalMs: dur(r.repeatInterval, d.repeatInterval ?? "4h", "repeatInterval"),
    cooldownMs: dur(r.cooldown, d.cooldown ?? 0, "cooldown"),
    sendResolved: r.sendResolved ?? d.sendResolved ?? true,
    retry: { ...defaultRetry, ...d.retry, ...r.retry },
    limit: limiter(r.maxConcurrent ?? d.maxConcurrent ?? 8),
  };
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A FIFO concurrency limit: a receiver is never hit by more than `max` requests at once. */
function limiter(max: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (job) => {
    if (active >= max) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export function createNotifier(options: NotifierOptions): Notifier {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const silences = options.silences ?? createSilences({ now });
  const inhibitor = compileInhibitRules(options.inhibitRules ?? []);
  const routes = options.channels.map((c) => compileRoute(c, options));
  const names = new Set<string>();
  for (const r of routes) {
    if (names.has(r.channel.name)) throw new Error(`[alerts] two channels are named "${r.channel.name}"`);
    names.add(r.channel.name);
  }
  const stats = new Map<string, MutableStats>(
    routes.map((r) => [
      r.channel.name,
      {
        channel: r.channel.name,
        sent: 0,
        failed: 0,
        failedAttempts: 0,
        inFlight: 0,
        lastError: "",
        lastErrorAtMs: 0,
      },
    ]),
  );
  const alerts = new Map<string, Alert>();
  const refs = new Map<string, number>();
  const groups = new Map<string, Group>();
  const log = new Map<string, LogEntry>();
  const inFlight = new Set<Promise<void>>();
  let version = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  const groupOf = (route: Route, a: Alert): { key: string; labels: Labels } => {
    if (route.groupBy === "all") return { key: a.fingerprint, labels: a.labels };
    const labels: Record<string, string> = {};
    let key = "";
    for (const n of route.groupBy) {
      const v = a.labels[n] ?? "";
      labels[n] = v;
      key += `${n}=${JSON.stringify(v)},`;
    }
    return { key: `{${key}}`, labels };
  };
  const logKey = (g: Group) => `${g.route.channel.name}\u0000${g.key}`;
  const release = (g: Group, fp: string) => {
    if (!g.fps.delete(fp)) return;
    const n = (refs.get(fp) ?? 1) - 1;
    if (n > 0) refs.set(fp, n);
    else {
      refs.delete(fp);
      if (alerts.get(fp)?.status === "resolved") alerts.delete(fp);
    }
  };

  const flush = (g: Group, t: number, muted: (a: Alert) => boolean) => {
    const { route } = g;
    const lk = logKey(g);
    const last = log.get(lk);
    const firing: Alert[] = [];
    const resolved: Alert[] = [];
    for (const fp of [...g.fps]) {
      const a = alerts.get(fp);
      if (!a) {
        release(g, fp);
      } else if (a.status === "firing") {
        if (!muted(a)) firing.push(a);
      } else if (route.sendResolved && last?.firing.has(fp)) {
        resolved.push(a);
      } else {
        release(g, fp); // never announced as firing here: nothing to resolve
      }
    }
    if (g.fps.size === 0) {
      groups.delete(`${route.channel.name}\u0000${g.key}`);
      if (log.delete(lk)) version++;
      return;
    }
    // A new alert, or a known one whose state changed (firing -> error), is news.
    const gained = firing.some((a) => last?.firing.get(a.fingerprint) !== a.state);
    const repeat = firing.length > 0 && last !== undefined && t - last.sentAtMs >= route.repeatIntervalMs;
    g.nextFlushMs = t + route.groupIntervalMs;
    if (!gained && resolved.length === 0 && !repeat) return;
    if (last && route.cooldownMs > 0 && t - last.sentAtMs < route.cooldownMs) {
      g.nextFlushMs = last.sentAtMs + route.cooldownMs;
      return;
    }
    const all = [...firing, ...resolved];
    const n: Notification = {
      receiver: route.channel.name,
      status: firing.length > 0 ? "firing" : "resolved",
      groupKey: g.key,
      groupLabels: g.labels,
      commonLabels: commonLabels(all),
      alerts: all,
      timestampMs: t,
    };
    const st = stats.get(route.channel.name)!;
    g.delivering = true;
    st.inFlight++;
    const p = route
      .limit(() =>
        deliver(route.channel, n, route.retry, {
          sleep,
          random,
          onAttemptFailed: (err) => {
            st.failedAttempts++;
            st.lastError = err instanceof Error ? err.message : String(err);
            st.lastErrorAtMs = now();
          },
        }),
      )
      .then((outcome) => {
        st.inFlight--;
        g.delivering = false;
        if (!outcome.ok) {
          st.failed++;
          return; // the log is unchanged, so the next flush sends this again
        }
        st.sent++;
        log.set(lk, {
          firing: new Map(firing.map((a) => [a.fingerprint, a.state])),
          resolved: new Set(resolved.map((a) => a.fingerprint)),
          sentAtMs: t,
        });
        version++;
        for (const a of resolved)
          if (alerts.get(a.fingerprint)?.status === "resolved") release(g, a.fingerprint);
        if (g.fps.size === 0) groups.delete(lk);
      });
    inFlight.add(p);
    p.finally(() => inFlight.delete(p));
  };

  const notifier: Notifier = {
    silences,
    update(batch, t = now()) {
      for (const a of batch) {
        alerts.set(a.fingerprint, a);
        for (const route of routes) {
          if (!matchesAll(route.matchers, a.labels)) continue;
          const { key, labels } = groupOf(route, a);
          const gk = `${route.channel.name}\u0000${key}`;
          let g = groups.get(gk);
          if (!g) {
            if (a.status === "resolved" && !log.get(gk)?.firing.has(a.fingerprint)) continue;
            g = { route, key, labels, fps: new Set(), nextFlushMs: t + route.groupWaitMs, delivering: false };
            groups.set(gk, g);
          }
          if (!g.fps.has(a.fingerprint)) {
            g.fps.add(a.fingerprint);
            refs.set(a.fingerprint, (refs.get(a.fingerprint) ?? 0) + 1);
          }
        }
        if (!refs.has(a.fingerprint) && a.status === "resolved") alerts.delete(a.fingerprint);
      }
    },
    tick(nowMs = now()) {
      let isInhibited: ((a: Alert) => boolean) | undefined;
      const muted = (a: Alert) => {
        if (silences.isSilenced(a.labels, nowMs)) return true;
        isInhibited ??= inhibitor(alerts.values());
        return isInhibited(a);
      };
      for (const g of [...groups.values()]) {
        if (!g.delivering && nowMs >= g.nextFlushMs) flush(g, nowMs, muted);
      }
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    alerts() {
      const t = now();
      const isInhibited = inhibitor(alerts.values());
      return [...alerts.values()].map((a) => ({
        ...a,
        silenced: silences.isSilenced(a.labels, t),
        inhibited: isInhibited(a),
      }));
    },
    stats: () => [...stats.values()].map((s) => ({ ...s })),
    exportLog: () =>
      [...log].map(([key, e]) => ({
        key,
        firing: [...e.firing.keys()],
        states: [...e.firing.values()],
        resolved: [...e.resolved],
        sentAtMs: e.sentAtMs,
      })),
    importLog(entries) {
      for (const e of entries) {
        const firing = new Map(e.firing.map((fp, i) => [fp, e.states?.[i] ?? "firing"]));
        log.set(e.key, { firing, resolved: new Set(e.resolved), sentAtMs: e.sentAtMs });
      }
    },
    version: () => version + silences.version(),
    start(intervalMs = 1000) {
      if (timer) return;
      timer = setInterval(() => notifier.tick(), intervalMs);
      (timer as { unref?: () => void }).unref?.();
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await notifier.idle();
      for (const r of routes) await r.channel.close?.();
    },
  };
  return notifier;
}
