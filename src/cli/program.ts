/**
 * The `headroom` command line (commander): start, snapshot, top, report, alerts, check. Each
 * action resolves to an exit code; errors are printed as one line (no stack) and mapped to
 * the documented codes in `exit-codes.ts`.
 */
import { Command, CommanderError, Option } from "commander";
import { packageVersion } from "../agent/version.js";
import { ErrorCode, errorMessage, isHeadroomError } from "../errors.js";
import { createApiClient } from "./api-client.js";
import { runAlertsExpire, runAlertsList, runAlertsSilence } from "./commands/alerts.js";
import { runCheck } from "./commands/check.js";
import { runReport } from "./commands/report.js";
import { runSnapshot } from "./commands/snapshot.js";
import { runStart } from "./commands/start.js";
import { runTop } from "./commands/top.js";
import { EXIT_CODES_HELP, ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { agentUrl, type ConfigFlags, resolveConfig } from "./resolve-config.js";

/** Maps a failure to its exit code and prints it. */
export function exitCodeFor(err: unknown, io: CliIo): number {
  io.err(`${io.style.red("error")} ${errorMessage(err)}\n`);
  if (isHeadroomError(err, ErrorCode.Config) || isHeadroomError(err, ErrorCode.Parse)) return ExitCode.Usage;
  if (isHeadroomError(err, ErrorCode.Unavailable)) return ExitCode.Unreachable;
  return ExitCode.Failure;
}

/** Runs `argv` (without node and script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = ExitCode.Ok;
  const program = new Command("headroom")
    .description(
      "Resource monitoring, metrics and budgets: an agent with a live dashboard and a Prometheus endpoint.",
    )
    .version(packageVersion(), "-v, --version")
    .addHelpText("after", EXIT_CODES_HELP)
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      outputError: (s, write) => write(io.style.red(s)),
    })
    .exitOverride();

  const configOption = () => new Option("-c, --config <file>", "config file (TOML, or JSON by extension)");
  const urlOption = () =>
    new Option("--url <url>", "the agent's base URL (default: from the config's server section)");
  const client = (flags: ConfigFlags & { url?: string }) =>
    createApiClient(flags.url ?? agentUrl(resolveConfig({ config: flags.config }, io.env)), io.env);
  const act =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A) => {
      try {
        code = await fn(...args);
      } catch (err) {
        code = exitCodeFor(err, io);
      }
    };

  program
    .command("start")
    .description("run the agent: monitors, history, alerts, exporters, dashboard and /metrics")
    .addOption(configOption())
    .option("-p, --port <port>", "HTTP port (default 9798)")
    .option("-a, --address <address>", "bind address (default 127.0.0.1; others need auth)")
    .option("-d, --data <dir>", "data directory for history (default $XDG_DATA_HOME/headroom)")
    .option("--path.procfs <dir>", "procfs mount point, as node_exporter's (default /proc)")
    .option("--path.sysfs <dir>", "sysfs mount point (default /sys)")
    .option("--path.rootfs <dir>", "root filesystem mount point (default /)")
    .action(act((flags: ConfigFlags) => runStart(flags, io)));

  program
    .command("snapshot")
    .description("take one sample of everything and print it as a table (or JSON)")
    .addOption(configOption())
    .option("--json", "print the snapshot as JSON")
    .option("--path.procfs <dir>", "procfs mount point, as node_exporter's (default /proc)")
    .option("--path.sysfs <dir>", "sysfs mount point (default /sys)")
    .option("--path.rootfs <dir>", "root filesystem mount point (default /)")
    .action(act((flags: ConfigFlags & { json?: boolean }) => runSnapshot(flags, io)));

  program
    .command("top")
    .description("live terminal view of a running agent (plain single frame when not a terminal)")
    .addOption(configOption())
    .addOption(urlOption())
    .option("-i, --interval <seconds>", "refresh interval", "2")
    .action(
      act((flags: ConfigFlags & { url?: string; interval: string }) => runTop(flags, client(flags), io)),
    );

  program
    .command("report")
    .description("summarize history from a running agent")
    .addOption(configOption())
    .addOption(urlOption())
    .option("-s, --since <duration>", "how far back", "24h")
    .addOption(
      new Option("-f, --format <format>", "output format").choices(["text", "json", "csv"]).default("text"),
    )
    .option("--series <selector...>", 'series selectors (name or name{label="v"}); default all')
    .option("--points <n>", "points per series", "300")
    .action(
      act(
        (
          flags: ConfigFlags & {
            url?: string;
            since: string;
            format: string;
            series?: string[];
            points: string;
          },
        ) => runReport(flags, client(flags), io),
      ),
    );

  const alerts = program.command("alerts").description("list alerts and manage silences on a running agent");
  alerts
    .command("list", { isDefault: true })
    .description("firing and pending alerts, and active silences")
    .addOption(configOption())
    .addOption(urlOption())
    .option("--json", "print JSON")
    .action(
      act((flags: ConfigFlags & { url?: string; json?: boolean }) =>
        runAlertsList(client(flags), io, Boolean(flags.json)),
      ),
    );
  alerts
    .command("silence")
    .description("silence alerts matching labels for a while")
    .addOption(configOption())
    .addOption(urlOption())
    .requiredOption("-m, --matcher <label=value...>", "label matchers, e.g. alertname=HighCpu")
    .requiredOption("--duration <duration>", "how long, e.g. 2h")
    .option("--comment <text>", "why")
    .action(
      act((flags: ConfigFlags & { url?: string; matcher: string[]; duration: string; comment?: string }) =>
        runAlertsSilence(flags, client(flags), io),
      ),
    );
  alerts
    .command("expire <id>")
    .description("end a silence now")
    .addOption(configOption())
    .addOption(urlOption())
    .action(
      act((id: string, flags: ConfigFlags & { url?: string }) => runAlertsExpire(id, client(flags), io)),
    );

  program
    .command("check")
    .description("validate the config; with --limits, exit 3 when a resource limit is exceeded")
    .addOption(configOption())
    .option("--limits", "sample CPU, memory and disk and check them against resource_limits")
    .action(act((flags: ConfigFlags & { limits?: boolean }) => runCheck(flags, io)));

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; usage errors (unknown option or command) exit 2.
      return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    return exitCodeFor(err, io);
  }
  return code;
}
