/** Picks the exposition format from an HTTP Accept header, as Prometheus scrapers expect. */
import type { MetricsSnapshot } from "../metrics/snapshot.js";
import { encodeOpenMetrics, OPENMETRICS_CONTENT_TYPE } from "./openmetrics.js";
import { encodePrometheusText, PROMETHEUS_CONTENT_TYPE } from "./prometheus-text.js";

export interface Exposition {
  contentType: string;
  encode: (snapshot: MetricsSnapshot) => string;
}

const TEXT: Exposition = { contentType: PROMETHEUS_CONTENT_TYPE, encode: encodePrometheusText };
const OPENMETRICS: Exposition = { contentType: OPENMETRICS_CONTENT_TYPE, encode: encodeOpenMetrics };

/**
 * OpenMetrics when the client ranks `application/openmetrics-text` at least as high as any
 * text/plain it accepts (Prometheus sends it first with q=0.5 and text/plain q=0.4); otherwise
 * the 0.0.4 text format.
 */
export function negotiateExposition(accept: string | null | undefined): Exposition {
  if (!accept) return TEXT;
  let om = -1;
  let text = -1;
  for (const part of accept.split(",")) {
    const [type, ...params] = part.trim().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const mediaType = type.trim().toLowerCase();
    if (mediaType === "application/openmetrics-text") om = Math.max(om, Number.isFinite(q) ? q : 0);
    else if (mediaType === "text/plain" || mediaType === "*/*" || mediaType === "text/*") {
      text = Math.max(text, Number.isFinite(q) ? q : 0);
    }
  }
  return om > 0 && om >= text ? OPENMETRICS : TEXT;
}
