/**
 * Retention and rollup-tier settings as the seed writes them (`retention_period = "30d"`):
 * a duration is a number of milliseconds or a string of `<n><unit>` parts (ms, s, m, h, d, w).
 */
import { ErrorCode, HeadroomError } from "../errors.js";

export type DurationLike = number | string;

export interface TierConfig {
  /** Bucket width, e.g. "1m" or "1h". */
  resolution: DurationLike;
  /** How long this tier's buckets are kept, e.g. "90d". */
  retention: DurationLike;
}

export interface ResolvedTier {
  readonly resolutionMs: number;
  readonly retentionMs: number;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Milliseconds in a duration; throws HR_CONFIG naming `what` when it is not one. */
export function durationMs(value: DurationLike, what: string): number {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  if (typeof value === "string") {
    const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/y;
    const s = value.trim();
    let total = 0;
    while (s.length > 0 && re.lastIndex < s.length) {
      const at = re.lastIndex;
      const m = re.exec(s);
      if (!m || m.index !== at) {
        total = Number.NaN;
        break;
      }
      total += Number(m[1]) * UNIT_MS[m[2]];
    }
    if (total > 0) return total;
  }
  throw new HeadroomError(
    ErrorCode.Config,
    `[history] ${what} must be a positive duration like "30d", got ${JSON.stringify(value)}`,
    {
      data: { key: what, value },
    },
  );
}

export const DEFAULT_TIERS: readonly TierConfig[] = [
  { resolution: "1m", retention: "90d" },
  { resolution: "1h", retention: "730d" },
];

/** Validated tiers, finest first; each resolution must be a multiple of the previous one. */
export function resolveTiers(tiers: readonly TierConfig[]): ResolvedTier[] {
  const out = tiers
    .map((t, i) => ({
      resolutionMs: durationMs(t.resolution, `tiers[${i}].resolution`),
      retentionMs: durationMs(t.retention, `tiers[${i}].retention`),
    }))
    .sort((a, b) => a.resolutionMs - b.resolutionMs);
  for (let i = 1; i < out.length; i++) {
    if (out[i].resolutionMs % out[i - 1].resolutionMs !== 0) {
      throw new HeadroomError(
        ErrorCode.Config,
        "[history] each tier resolution must be a multiple of the finer one",
        {
          data: { key: "tiers", resolutions: out.map((t) => t.resolutionMs) },
        },
      );
    }
  }
  return out;
}
