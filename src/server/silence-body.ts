/** Validation of the body of `POST /api/v1/silences`. */
import { z } from "zod";
import { parseDuration } from "../agent/duration.js";
import { ErrorCode, HeadroomError } from "../errors.js";
import type { SilenceInput } from "./sources.js";

const body = z.strictObject({
  matchers: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string().max(1024)),
  duration: z.string().max(32),
  comment: z.string().max(1024).default(""),
  createdBy: z.string().max(256).default("api"),
});

/** Parses `{ matchers: {alertname: "HighCpu"}, duration: "2h", comment, createdBy }`. */
export function silenceInput(raw: unknown): SilenceInput {
  const parsed = body.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HeadroomError(
      ErrorCode.InvalidArgument,
      `[server] body.${issue.path.join(".") || "(root)"}: ${issue.message}`,
      { data: { param: "body" } },
    );
  }
  const { matchers, duration, comment, createdBy } = parsed.data;
  if (Object.keys(matchers).length === 0) {
    throw new HeadroomError(
      ErrorCode.InvalidArgument,
      "[server] body.matchers: at least one matcher is needed",
    );
  }
  const durationMs = parseDuration(duration);
  if (durationMs === undefined || durationMs <= 0 || durationMs > 365 * 86_400_000) {
    throw new HeadroomError(
      ErrorCode.InvalidArgument,
      `[server] body.duration: expected a duration like "2h" (at most 365d), got "${duration}"`,
    );
  }
  return { matchers, durationMs, comment, createdBy };
}
