/** `headroom check [--config F] [--limits]`: validate the config; with --limits, seed 003's checkResourceLimits. */
import { limitUsage } from "../../agent/limit-usage.js";
import { checkResourceLimits } from "../../monitors/capacity.js";
import { ExitCode } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { type ConfigFlags, resolveConfig } from "../resolve-config.js";
import { sampleOnce } from "./snapshot.js";

export async function runCheck(flags: ConfigFlags & { limits?: boolean }, io: CliIo): Promise<number> {
  const loaded = resolveConfig(flags, io.env);
  const { style } = io;
  for (const w of loaded.warnings) io.err(`${style.yellow("warning")} ${w}\n`);
  io.out(`${style.green("ok")} config ${loaded.file ?? "(embedded defaults)"} is valid\n`);
  if (!flags.limits) return ExitCode.Ok;
  const [before, after] = await sampleOnce(flags, io, 2);
  const usage = limitUsage(before, after);
  const limits = loaded.config.resourceLimits;
  const show = (what: string, value: number | undefined, limit: number) =>
    io.out(
      `  ${what.padEnd(14)} ${value === undefined ? style.dim("no data") : `${value.toFixed(1)}%`}  (limit ${limit}%)\n`,
    );
  const pct = (u?: number, t?: number) => (u === undefined || !t ? undefined : (u / t) * 100);
  show("CPU usage", usage.cpuUsagePercent, limits.maxCpuUsagePercent);
  show("Memory usage", pct(usage.memoryUsedBytes, usage.memoryTotalBytes), limits.maxMemoryUsagePercent);
  show("Disk usage", pct(usage.diskUsedBytes, usage.diskTotalBytes), limits.maxDiskUsagePercent);
  const exceeded = checkResourceLimits(limits, usage);
  if (exceeded) {
    io.err(`${style.red("limit exceeded")} ${exceeded.message}\n`);
    return ExitCode.LimitExceeded;
  }
  io.out(`${style.green("ok")} within resource limits\n`);
  return ExitCode.Ok;
}
