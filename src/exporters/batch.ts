/**
 * Cuts a snapshot into pieces of at most `maxSamples` flattened samples, each piece a valid
 * snapshot with the same timestamp, so the queue, the spool and every encoder deal in one
 * type. A histogram series is never split (its buckets belong together); a series larger
 * than `maxSamples` travels alone.
 */

import { familySampleCount } from "../expose/push-samples.js";
import type { MetricFamily, MetricsSnapshot } from "../metrics/snapshot.js";

function seriesSamples(family: MetricFamily, index: number): number {
  if (family.type === "histogram") return family.buckets.length + 3;
  if (family.type === "summary") return family.series[index].quantiles.length + 2;
  return 1;
}

function withSeries(family: MetricFamily, from: number, to: number): MetricFamily {
  return { ...family, series: family.series.slice(from, to) } as MetricFamily;
}

export interface SnapshotPiece {
  readonly snapshot: MetricsSnapshot;
  readonly samples: number;
}

export function splitSnapshot(snapshot: MetricsSnapshot, maxSamples: number): SnapshotPiece[] {
  const pieces: SnapshotPiece[] = [];
  let families: MetricFamily[] = [];
  let count = 0;
  const close = () => {
    if (families.length > 0)
      pieces.push({ snapshot: { timestampMs: snapshot.timestampMs, families }, samples: count });
    families = [];
    count = 0;
  };
  for (const family of snapshot.families) {
    if (family.series.length === 0) continue;
    const total = familySampleCount(family);
    if (count + total <= maxSamples) {
      families.push(family);
      count += total;
      continue;
    }
    let start = 0;
    for (let i = 0; i < family.series.length; i++) {
      const n = seriesSamples(family, i);
      if (count + n > maxSamples && (count > 0 || i > start)) {
        if (i > start) families.push(withSeries(family, start, i));
        close();
        start = i;
      }
      count += n;
    }
    families.push(withSeries(family, start, family.series.length));
  }
  close();
  return pieces;
}
