/** The dashboard's view of the agent's HTTP API (same origin; auth comes from the browser). */
import type { Labels } from "./series-key.js";

export interface QuerySeries {
  name: string;
  labels: Labels;
  points: [number, number][];
}

export interface AlertView {
  name: string;
  state: string;
  severity: string;
  labels: Labels;
  value?: number;
  sinceMs?: number;
  silenced?: boolean;
}

export interface MonitorView {
  monitorId: string;
  ok: boolean | undefined;
  lastDurationMs: number | undefined;
  lastError: string | undefined;
  runs: number;
  failures: number;
}

export interface LiveSample {
  t: number;
  values: [string, number][];
}

async function getJson<T>(path: string): Promise<T | undefined> {
  const res = await fetch(path, { headers: { accept: "application/json" } });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export async function query(series: string, rangeMs: number, points: number): Promise<QuerySeries[]> {
  const q = `/api/v1/query?series=${encodeURIComponent(series)}&from=-${Math.round(rangeMs / 1000)}s&points=${points}`;
  return (await getJson<{ series: QuerySeries[] }>(q))?.series ?? [];
}

export const alerts = async () => (await getJson<{ alerts: AlertView[] }>("/api/v1/alerts"))?.alerts;
export const monitors = async () =>
  (await getJson<{ monitors: MonitorView[] }>("/api/v1/monitors"))?.monitors;
export const resources = () => getJson<unknown>("/api/v1/resources");

/** Subscribes to the live stream; the browser reconnects on its own after a drop. */
export function live(onSample: (s: LiveSample) => void, onState: (connected: boolean) => void): EventSource {
  const es = new EventSource("/api/v1/stream");
  es.addEventListener("hello", () => onState(true));
  es.addEventListener("sample", (e) => onSample(JSON.parse((e as MessageEvent<string>).data)));
  es.onerror = () => onState(false);
  return es;
}
