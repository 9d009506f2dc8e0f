/**
 * Trend statistics for leak detection, chosen to resist noise and garbage-collector sawtooth:
 * the Theil-Sen slope (median of pairwise slopes) and the Mann-Kendall test (is there a
 * monotonic trend at all?), on at most `MAX_POINTS` evenly spaced samples so the pairwise
 * work stays bounded.
 */
const MAX_POINTS = 200;

export interface Trend {
  /** Units per millisecond. */
  readonly slope: number;
  /** 1 - two-sided p-value of Mann-Kendall's S; ~0 for no trend, -> 1 for a clear one. */
  readonly confidence: number;
  /** Sign of Mann-Kendall's S. */
  readonly direction: -1 | 0 | 1;
  /** R^2 of the least-squares line. */
  readonly fit: number;
}

function thin(ts: ArrayLike<number>, vs: ArrayLike<number>): { ts: number[]; vs: number[] } {
  const n = ts.length;
  const step = Math.max(1, n / MAX_POINTS);
  const ot: number[] = [];
  const ov: number[] = [];
  for (let x = 0; x < n; x += step) {
    const i = Math.floor(x);
    ot.push(ts[i]);
    ov.push(vs[i]);
  }
  return { ts: ot, vs: ov };
}

/** Standard normal CDF (Abramowitz-Stegun 26.2.17, error < 7.5e-8). */
function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const d = 0.3989422804014327 * Math.exp((-z * z) / 2);
  const p =
    d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return z > 0 ? 1 - p : p;
}

export function trend(tsIn: ArrayLike<number>, vsIn: ArrayLike<number>): Trend {
  const { ts, vs } = thin(tsIn, vsIn);
  const n = ts.length;
  if (n < 3) return { slope: 0, confidence: 0, direction: 0, fit: 0 };
  const slopes: number[] = [];
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dv = vs[j] - vs[i];
      s += dv > 0 ? 1 : dv < 0 ? -1 : 0;
      const dt = ts[j] - ts[i];
      if (dt > 0) slopes.push(dv / dt);
    }
  }
  slopes.sort((a, b) => a - b);
  const mid = slopes.length >> 1;
  const slope =
    slopes.length === 0 ? 0 : slopes.length % 2 ? slopes[mid] : (slopes[mid - 1] + slopes[mid]) / 2;
  const variance = (n * (n - 1) * (2 * n + 5)) / 18;
  const z = s === 0 ? 0 : (s - Math.sign(s)) / Math.sqrt(variance);
  const confidence = 1 - 2 * (1 - normalCdf(Math.abs(z)));
  // least squares, for the reported fit only
  let mt = 0;
  let mv = 0;
  for (let i = 0; i < n; i++) {
    mt += ts[i];
    mv += vs[i];
  }
  mt /= n;
  mv /= n;
  let stv = 0;
  let stt = 0;
  let svv = 0;
  for (let i = 0; i < n; i++) {
    stv += (ts[i] - mt) * (vs[i] - mv);
    stt += (ts[i] - mt) ** 2;
    svv += (vs[i] - mv) ** 2;
  }
  const fit = stt === 0 || svv === 0 ? 0 : (stv * stv) / (stt * svv);
  return { slope, confidence, direction: s > 0 ? 1 : s < 0 ? -1 : 0, fit };
}
