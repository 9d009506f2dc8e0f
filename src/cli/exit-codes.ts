/**
 * The `headroom` command's exit codes (documented in `headroom --help`):
 *   0  success
 *   1  a runtime failure (the agent could not start, a request failed)
 *   2  bad usage or a bad config file (unknown option, malformed TOML, invalid value)
 *   3  `check --limits`: a resource limit is exceeded
 *   4  the agent could not be reached (report, alerts, top)
 */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  LimitExceeded: 3,
  Unreachable: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  runtime failure (the agent could not start, a request failed)
  2  bad usage or bad config (unknown option, malformed file, invalid value)
  3  check --limits: a resource limit is exceeded
  4  the agent could not be reached (report, alerts, top)

Environment:
  HEADROOM_TOKEN, HEADROOM_USERNAME/PASSWORD  server auth (also used by report/alerts/top)
  HEADROOM_PORT, HEADROOM_ADDRESS, HEADROOM_DATA_DIR, HEADROOM_LOG_LEVEL
  NO_COLOR  disables colours`;
