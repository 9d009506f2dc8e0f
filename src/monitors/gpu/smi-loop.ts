/**
 * The nvidia-smi fallback: one long-running `nvidia-smi --query-... -lms <interval>` child,
 * never one spawn per sample (one spawn costs ~30 ms of CPU on an H100 host). Each line of its
 * output is parsed as it arrives; readers take the latest lines.
 *
 * Failures are kept, not thrown from the stream: a missing binary (ENOENT), a child that
 * exits or crashes, and malformed lines are recorded in `state()`; a dead loop is restarted on
 * the next `ensureRunning()` no sooner than `restartBackoffMs` after it died.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { errorMessage } from "../../errors.js";

export interface SmiLoopOptions {
  /** Executable (default "nvidia-smi", looked up on PATH). */
  command: string;
  /** Arguments before `-lms <intervalMs>`. */
  args: readonly string[];
  intervalMs: number;
  /** Called with each non-empty stdout line and its 1-based line number. Throwing counts a bad line. */
  onLine: (line: string, lineNo: number) => void;
  /** Least time between a death and the next start (default 5000 ms). */
  restartBackoffMs?: number;
  /** Clock in ms (default Date.now). */
  now?: () => number;
}

export interface SmiLoopState {
  running: boolean;
  /** Why the loop is not running (spawn error, exit code, signal and the last stderr line). */
  reason: string | undefined;
  startedAtMs: number | undefined;
  lastLineAtMs: number | undefined;
  lines: number;
  badLines: number;
  lastBadLine: string | undefined;
  restarts: number;
}

export class SmiLoop {
  readonly #o: SmiLoopOptions;
  readonly #now: () => number;
  #child: ChildProcess | undefined;
  #diedAtMs = Number.NEGATIVE_INFINITY;
  #closed = false;
  #state: SmiLoopState = {
    running: false,
    reason: undefined,
    startedAtMs: undefined,
    lastLineAtMs: undefined,
    lines: 0,
    badLines: 0,
    lastBadLine: undefined,
    restarts: 0,
  };

  constructor(options: SmiLoopOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  state(): Readonly<SmiLoopState> {
    return { ...this.#state };
  }

  /** Starts the child unless it runs, or died less than `restartBackoffMs` ago. */
  ensureRunning(): void {
    if (this.#closed || this.#child !== undefined) return;
    if (this.#now() - this.#diedAtMs < (this.#o.restartBackoffMs ?? 5000)) return;
    if (this.#state.startedAtMs !== undefined) this.#state.restarts++;
    this.#start();
  }

  /** Stops the child (by its own PID) and refuses later starts. */
  close(): Promise<void> {
    this.#closed = true;
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
      child.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }

  #start(): void {
    const s = this.#state;
    let child: ChildProcess;
    try {
      child = spawn(this.#o.command, [...this.#o.args, "-lms", String(this.#o.intervalMs)], {
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (err) {
      this.#died(`could not start ${this.#o.command}: ${errorMessage(err)}`);
      return;
    }
    this.#child = child;
    s.running = true;
    s.reason = undefined;
    s.startedAtMs = this.#now();
    let pending = "";
    let stderrTail = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      pending += chunk;
      let nl = pending.indexOf("\n");
      while (nl >= 0) {
        const line = pending.slice(0, nl).replace(/\r$/, "");
        pending = pending.slice(nl + 1);
        if (line.trim() !== "") this.#line(line);
        nl = pending.indexOf("\n");
      }
      // A child that never ends a line must not grow this buffer without bound.
      if (pending.length > 65536) pending = "";
    });
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-500);
    });
    child.once("error", (err) => {
      if (this.#child === child) this.#child = undefined;
      this.#died(`could not start ${this.#o.command}: ${errorMessage(err)}`);
    });
    child.once("close", (code, signal) => {
      if (this.#child !== child) return;
      this.#child = undefined;
      const last = stderrTail.trim().split("\n").pop() ?? "";
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      this.#died(`${this.#o.command} ${how}${last ? `: ${last}` : ""}`);
    });
    // The loop serves a monitor; it must not keep a finished process alive on its own.
    child.unref();
    (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  }

  #line(line: string): void {
    const s = this.#state;
    s.lines++;
    try {
      this.#o.onLine(line, s.lines);
      s.lastLineAtMs = this.#now();
    } catch {
      s.badLines++;
      s.lastBadLine = line.slice(0, 200);
    }
  }

  #died(reason: string): void {
    this.#diedAtMs = this.#now();
    this.#state.running = false;
    if (!this.#closed) this.#state.reason = reason;
  }
}
