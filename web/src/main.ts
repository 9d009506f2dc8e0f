/**
 * The Headroom dashboard: charts per section over history, live updates from the stream, a
 * time-range picker (15 min to 30 days; history answers long ranges from its rollups), firing
 * and pending alerts, monitor health, tracked resources, and a dark/light theme. Every label
 * value reaches the page through textContent, never as HTML.
 */
import * as api from "./api.js";
import { CHARTS, Chart } from "./charts.js";

const RANGES: readonly [string, number][] = [
  ["15 min", 15 * 60_000],
  ["1 hour", 3_600_000],
  ["6 hours", 6 * 3_600_000],
  ["24 hours", 86_400_000],
  ["7 days", 7 * 86_400_000],
  ["30 days", 30 * 86_400_000],
];
const POINTS = 300;
const started = performance.now();

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function table(target: HTMLElement, header: string[], rows: (string | Node)[][], empty: string): void {
  target.replaceChildren();
  if (rows.length === 0) {
    target.append(el("p", { class: "empty" }, empty));
    return;
  }
  const t = el("table");
  const head = el("tr");
  for (const h of header) head.append(el("th", {}, h));
  t.append(head);
  for (const r of rows) {
    const tr = el("tr");
    for (const c of r) {
      const td = el("td");
      td.append(typeof c === "string" ? document.createTextNode(c) : c);
      tr.append(td);
    }
    t.append(tr);
  }
  target.append(t);
}

const main = document.getElementById("charts")!;
const charts: Chart[] = [];
const sections = new Map<string, HTMLElement>();
for (const def of CHARTS) {
  let section = sections.get(def.section);
  if (!section) {
    section = el("section", { class: "group", "data-section": def.section });
    section.append(el("h2", {}, def.section), el("div", { class: "grid" }));
    sections.set(def.section, section);
    main.append(section);
  }
  const card = el("article", { class: "card", "data-chart": def.id, "data-points": "0" });
  const head = el("header");
  head.append(el("h3", {}, def.title), el("span", { class: "value" }));
  card.append(head, el("div", { class: "plot" }));
  section.querySelector(".grid")!.append(card);
  charts.push(new Chart(def, card));
}

const rangeSelect = document.getElementById("range") as HTMLSelectElement;
for (const [label, ms] of RANGES) rangeSelect.append(el("option", { value: String(ms) }, label));
rangeSelect.value = String(15 * 60_000);

let loading = Promise.resolve();
async function loadAll(): Promise<void> {
  const rangeMs = Number(rangeSelect.value);
  document.body.dataset.range = String(rangeMs);
  const results = await Promise.allSettled(charts.map((c) => c.load(rangeMs, POINTS)));
  for (const s of sections.values())
    s.hidden = [...s.querySelectorAll<HTMLElement>(".card")].every((c) => c.hidden);
  if (results.some((r) => r.status === "fulfilled" && r.value > 0) && !document.body.dataset.firstChartMs) {
    document.body.dataset.firstChartMs = String(Math.round(performance.now() - started));
  }
  document.body.dataset.loaded = String(Number(document.body.dataset.loaded ?? "0") + 1);
}
rangeSelect.addEventListener("change", () => {
  loading = loading.then(loadAll);
});

const status = document.getElementById("status")!;
api.live(
  (sample) => {
    const values = new Map(sample.values);
    for (const c of charts) c.append(sample.t, values);
    status.textContent = `live · ${new Date(sample.t).toLocaleTimeString()}`;
  },
  (connected) => {
    status.textContent = connected ? "live" : "reconnecting…";
    status.dataset.connected = String(connected);
  },
);

interface ResourcesView {
  budgets?: { type: string; currentUsage: number; maxBytes: number; pressureLevel?: string }[];
  tracked?: { name: string; type: string; current: number | null; min: number | null; max: number | null }[];
  pools?: { name: string; kind: string; used: number; free: number }[];
}

const PRESSURE_BADGE: Record<string, string> = { medium: "pending", high: "firing", critical: "firing" };
const num = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? "-" : String(Math.round(v * 100) / 100);
const bytes = (v: number) => (Number.isFinite(v) ? `${(v / 1048576).toFixed(1)} MiB` : "unlimited");

/** Budgets with their pressure level, tracked resources and pools, each as a table. */
function renderResources(box: HTMLElement, r: ResourcesView): void {
  const parts = [el("div", { id: "budgets" }), el("div", { id: "tracked" }), el("div", { id: "pools" })];
  box.replaceChildren(...parts);
  table(
    parts[0]!,
    ["budget", "usage", "limit", "pressure"],
    (r.budgets ?? []).map((b) => [
      b.type,
      bytes(b.currentUsage),
      bytes(b.maxBytes),
      el("span", { class: `badge ${PRESSURE_BADGE[b.pressureLevel ?? ""] ?? "ok"}` }, b.pressureLevel ?? "-"),
    ]),
    "no budgets",
  );
  table(
    parts[1]!,
    ["tracked resource", "type", "current", "min", "max"],
    (r.tracked ?? []).map((t) => [t.name, t.type, num(t.current), num(t.min), num(t.max)]),
    "no tracked resources",
  );
  table(
    parts[2]!,
    ["pool", "kind", "used", "free"],
    (r.pools ?? []).map((p) => [p.name, p.kind, String(p.used), String(p.free)]),
    "no pools",
  );
}

async function refreshPanels(): Promise<void> {
  const [alerts, monitors, resources] = await Promise.allSettled([
    api.alerts(),
    api.monitors(),
    api.resources(),
  ]);
  const alertBox = document.getElementById("alerts")!;
  if (alerts.status === "fulfilled") {
    const list = (alerts.value ?? []).filter((a) => a.state === "firing" || a.state === "pending");
    document.body.dataset.alerts = String(list.length);
    table(
      alertBox,
      ["alert", "state", "severity", "value", "labels"],
      list.map((a) => [
        a.name,
        el("span", { class: `badge ${a.state}` }, a.state + (a.silenced ? " (silenced)" : "")),
        a.severity,
        a.value === undefined ? "-" : String(Math.round(a.value * 100) / 100),
        Object.entries(a.labels)
          .filter(([k]) => k !== "alertname" && k !== "severity")
          .map(([k, v]) => `${k}=${v}`)
          .join(", "),
      ]),
      alerts.value === undefined ? "alerting is off" : "no firing or pending alerts",
    );
  }
  if (monitors.status === "fulfilled") {
    table(
      document.getElementById("monitors")!,
      ["monitor", "status", "last run", "failures", "last error"],
      (monitors.value ?? []).map((m) => [
        m.monitorId,
        el(
          "span",
          { class: `badge ${m.ok === false ? "firing" : "ok"}` },
          m.ok === undefined ? "starting" : m.ok ? "ok" : "failing",
        ),
        m.lastDurationMs === undefined ? "-" : `${m.lastDurationMs.toFixed(1)} ms`,
        `${m.failures}/${m.runs}`,
        m.lastError ?? "",
      ]),
      "no monitors",
    );
  }
  const resBox = document.getElementById("resources")!;
  if (resources.status === "fulfilled") {
    resBox.parentElement!.hidden = resources.value === undefined;
    if (resources.value !== undefined) renderResources(resBox, resources.value as ResourcesView);
  }
}

const themeButton = document.getElementById("theme")!;
function applyTheme(theme: string): void {
  document.documentElement.dataset.theme = theme;
  themeButton.textContent = theme === "dark" ? "Light" : "Dark";
}
applyTheme(
  localStorage.getItem("headroom-theme") ??
    (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"),
);
themeButton.addEventListener("click", () => {
  const next = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
  localStorage.setItem("headroom-theme", next);
  applyTheme(next);
  loading = loading.then(loadAll);
});

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    for (const c of charts) c.resize();
  }, 150);
});

loading = loadAll();
void refreshPanels();
setInterval(() => void refreshPanels(), 3000);
