/**
 * A registry that exercises every metric type and every escaping case, with a fixed clock so
 * its exposition is byte-stable. The golden-file tests and the promtool/Prometheus peer tests
 * both render it.
 */
import { createRegistry, type Registry } from "../../src/metrics/registry.js";

export const FIXED_NOW = 1_700_000_000_000;

export function buildExpositionRegistry(now: () => number = () => FIXED_NOW): Registry {
  const r = createRegistry({ now });
  const requests = r.counter({
    name: "http_requests_total",
    help: 'Requests handled, by method and path.\nSecond line with a backslash \\ and "quotes".',
    labelNames: ["method", "path", "status"],
  });
  requests.labels({ method: "GET", path: "/", status: "200" }).inc(1027);
  requests.inc({ method: "POST", path: '/say "hi"', status: "201" }, 3);
  requests.inc({ method: "GET", path: "C:\\temp\\new\nline", status: "500" });
  requests.inc({ method: "GET", path: "/ünïcödé/日本", status: "404" }, 2);
  requests.inc({ method: "GET", path: "", status: "204" });

  r.gauge({
    name: "temperature_celsius",
    help: "Current temperature.",
    unit: "celsius",
    labelNames: ["zone"],
  }).set({ zone: "cpu" }, -12.5);
  r.gauge({ name: "process_start_time_seconds", help: "Start time of the process since the epoch." }).set(
    1_699_999_000,
  );
  r.gauge({ name: "tiny_ratio", help: "A very small and a very large value." }).set(1.5e-12);
  r.gauge({ name: "huge_bytes", help: "Large value.", unit: "bytes" }).set(1.2e21);

  const latency = r.histogram({
    name: "request_duration_seconds",
    help: "Request latency.",
    unit: "seconds",
    labelNames: ["route"],
    buckets: [0.005, 0.05, 0.5, 5],
  });
  for (const v of [0.001, 0.01, 0.02, 0.3, 0.7, 12]) latency.observe({ route: "/api" }, v);
  latency.labels({ route: "/empty" });

  const size = r.summary({
    name: "response_size_bytes",
    help: "Response sizes.",
    unit: "bytes",
    percentiles: [0.5, 0.9],
  });
  for (let i = 1; i <= 100; i++) size.observe(i * 10);

  r.info({ name: "app_build_info", help: "Build facts.", labels: { version: "1.0.0", commit: "abc123" } });
  r.stateSet({ name: "app_mode", help: "Current mode.", states: ["starting", "serving"] }).setState(
    "serving",
  );
  return r;
}
