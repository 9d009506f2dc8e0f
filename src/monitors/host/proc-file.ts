/**
 * The thin read layer under the host parsers. A ProcFile keeps its descriptor open and re-reads
 * at offset 0 with `pread` (seq_file and sysfs regenerate their text on every read from 0), so
 * a sample costs one syscall per file instead of open/read/close. Reads are synchronous on
 * purpose: procfs and sysfs are in-memory and answer in microseconds, and a sync read costs far
 * less CPU than a thread-pool round trip. Filesystems that can hang (statfs on NFS) never go
 * through here.
 */
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";

/** Roots of the host's pseudo-filesystems; node_exporter's `--path.procfs/sysfs/rootfs`. */
export interface HostRoots {
  procfs: string;
  sysfs: string;
  rootfs: string;
}

export const DEFAULT_ROOTS: HostRoots = Object.freeze({ procfs: "/proc", sysfs: "/sys", rootfs: "/" });

export function resolveRoots(roots: Partial<HostRoots> = {}): HostRoots {
  return { ...DEFAULT_ROOTS, ...roots };
}

export class ProcFile {
  readonly path: string;
  #fd = -1;
  #buf: Buffer;

  constructor(path: string, initialSize = 4096) {
    this.path = path;
    this.#buf = Buffer.allocUnsafe(initialSize);
  }

  /** The whole file as text. Throws (ENOENT, EACCES...) when it cannot be read. */
  read(): string {
    if (this.#fd < 0) this.#fd = openSync(this.path, "r");
    let total = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(this.#fd, this.#buf, total, this.#buf.length - total, total);
      } catch (err) {
        // A descriptor that went stale (device removed, file replaced) is reopened next time.
        this.close();
        throw err;
      }
      if (n === 0) break;
      total += n;
      if (total === this.#buf.length) {
        const bigger = Buffer.allocUnsafe(this.#buf.length * 2);
        this.#buf.copy(bigger, 0, 0, total);
        this.#buf = bigger;
      }
    }
    return this.#buf.toString("latin1", 0, total);
  }

  close(): void {
    if (this.#fd >= 0) {
      try {
        closeSync(this.#fd);
      } catch {
        // Already closed by the kernel side; nothing to release.
      }
      this.#fd = -1;
    }
  }
}

/**
 * How long a file found missing is taken as still missing. Optional kernel files (cpufreq on a
 * VM, PSI on older kernels) are absent for good on most hosts, and a failed open costs a thrown
 * error every tick; a feature turned on at run time is picked up within this delay.
 */
export const MISSING_RECHECK_MS = 60_000;

/** Paths found missing, each taken as still missing until MISSING_RECHECK_MS has passed. */
export class MissingFiles {
  /** Path -> when to look again (performance.now() ms). */
  readonly #retryAt = new Map<string, number>();

  /** Whether the path was found missing less than MISSING_RECHECK_MS ago. */
  stillMissing(path: string): boolean {
    const at = this.#retryAt.get(path);
    if (at === undefined) return false;
    if (performance.now() < at) return true;
    this.#retryAt.delete(path);
    return false;
  }

  missed(path: string): void {
    this.#retryAt.set(path, performance.now() + MISSING_RECHECK_MS);
  }

  clear(): void {
    this.#retryAt.clear();
  }
}

/** A set of ProcFiles under one root, opened on first use and closed together. */
export class ProcFiles {
  readonly #root: string;
  readonly #files = new Map<string, ProcFile>();
  readonly #missing = new MissingFiles();

  constructor(root: string) {
    this.#root = root;
  }

  read(relative: string): string {
    let f = this.#files.get(relative);
    if (!f) {
      f = new ProcFile(join(this.#root, relative));
      this.#files.set(relative, f);
    }
    return f.read();
  }

  /** The text, or undefined when the file does not exist (an optional kernel feature such as PSI). */
  readOptional(relative: string): string | undefined {
    if (this.#missing.stillMissing(relative)) return undefined;
    try {
      return this.read(relative);
    } catch (err) {
      if (isMissing(err)) {
        this.#files.get(relative)?.close();
        this.#files.delete(relative);
        this.#missing.missed(relative);
        return undefined;
      }
      throw err;
    }
  }

  close(): void {
    for (const f of this.#files.values()) f.close();
    this.#files.clear();
    this.#missing.clear();
  }
}

export function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR" || code === "ESRCH" || code === "EOPNOTSUPP";
}

/** A one-shot read for files read rarely or once per pid (no descriptor kept). */
export function readText(path: string): string {
  return readFileSync(path, "latin1");
}
