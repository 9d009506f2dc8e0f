/**
 * Filesystems: node_exporter's filesystem series (`node_filesystem_size_bytes`, `_free_bytes`,
 * `_avail_bytes`, `_files`, `_files_free`, `_readonly`, `_device_error`, labelled
 * device/fstype/mountpoint) from statfs on the mounts in <procfs>/1/mountinfo, with
 * node_exporter's default pseudo-filesystem and mount-point exclusions, plus the seed's usage
 * percent per filesystem.
 *
 * statfs runs on libuv's thread pool so a dead NFS server cannot block the event loop. A mount
 * whose statfs does not answer within `statfsTimeoutMs` is marked stuck
 * (`node_filesystem_device_error` 1, its size series dropped, never a stale number) and is not
 * asked again until the pending call returns, so stuck mounts never pile up on the pool.
 */
import { statfs as statfsAsync } from "node:fs/promises";
import { join } from "node:path";
import type { Registry } from "../../metrics/registry.js";
import {
  MonitoredResourceType,
  type ResourceMonitor,
  type ResourceUsageReport,
} from "../resource-monitor.js";
import { filterMounts, type MountEntry, type MountFilter, parseMountinfo } from "./mountinfo.js";
import { type HostRoots, isMissing, ProcFiles, resolveRoots } from "./proc-file.js";

/** What the monitor needs from statfs(2); injectable so tests can hang or fail it. */
export type StatfsFn = (path: string) => Promise<{
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
}>;

export interface FilesystemMonitorOptions extends MountFilter {
  roots?: Partial<HostRoots>;
  id?: string;
  /** How long one statfs may take before the mount counts as stuck. Default 2000 ms. */
  statfsTimeoutMs?: number;
  statfs?: StatfsFn;
}

/** The seed's DiskMetrics capacity numbers (sum over the reported filesystems). */
export interface FilesystemTotals {
  totalBytes: number;
  usedBytes: number;
  freeBytes: number;
}

const STUCK = Symbol("stuck");

export class FilesystemMonitor implements ResourceMonitor {
  readonly #id: string;
  readonly #proc: ProcFiles;
  readonly #rootfs: string;
  readonly #filter: MountFilter;
  readonly #timeoutMs: number;
  readonly #statfs: StatfsFn;
  readonly #gauges;
  readonly #error;
  readonly #readonly;
  readonly #percent;
  readonly #pending = new Map<string, Promise<unknown>>();
  #reported = new Map<string, Record<"device" | "fstype" | "mountpoint", string>>();
  #totals: FilesystemTotals | undefined;
  #report: ResourceUsageReport = { currentBytes: 0, peakBytes: 0 };

  constructor(registry: Registry, options: FilesystemMonitorOptions = {}) {
    const roots = resolveRoots(options.roots);
    this.#id = options.id ?? "host.filesystem";
    this.#proc = new ProcFiles(roots.procfs);
    this.#rootfs = roots.rootfs;
    this.#filter = { mountPointsExclude: options.mountPointsExclude, fsTypesExclude: options.fsTypesExclude };
    this.#timeoutMs = options.statfsTimeoutMs ?? 2000;
    this.#statfs = options.statfs ?? ((p) => statfsAsync(p));
    const labelNames = ["device", "fstype", "mountpoint"] as const;
    const g = (name: string, help: string) => registry.gauge({ name, help, labelNames });
    this.#gauges = {
      size: g("node_filesystem_size_bytes", "Filesystem size in bytes."),
      free: g("node_filesystem_free_bytes", "Filesystem free space in bytes."),
      avail: g("node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes."),
      files: g("node_filesystem_files", "Filesystem total file nodes."),
      filesFree: g("node_filesystem_files_free", "Filesystem total free file nodes."),
    };
    this.#percent = g(
      "headroom_filesystem_usage_percent",
      "Used space as a percentage of size (size - free) / size.",
    );
    this.#error = g(
      "node_filesystem_device_error",
      "Whether an error occurred while getting statistics for the given device.",
    );
    this.#readonly = g("node_filesystem_readonly", "Filesystem read-only status.");
  }

  monitorId(): string {
    return this.#id;
  }

  resourceType() {
    return MonitoredResourceType.Disk;
  }

  /** Used bytes over all reported filesystems against their total size. */
  getUsageReport(): ResourceUsageReport {
    return this.#report;
  }

  getFilesystemTotals(): FilesystemTotals | undefined {
    return this.#totals;
  }

  #mounts(): MountEntry[] {
    // node_exporter reads the mounts of pid 1 so that, inside a container with the host's /proc
    // bind-mounted, it sees the host's mounts rather than its own.
    let text: string | undefined;
    try {
      text = this.#proc.read("1/mountinfo");
    } catch (err) {
      if (!isMissing(err) && (err as NodeJS.ErrnoException).code !== "EACCES") throw err;
      text = this.#proc.read("self/mountinfo");
    }
    return filterMounts(parseMountinfo(text), this.#filter);
  }

  async #stat(path: string) {
    const pending = this.#pending.get(path);
    if (pending) return STUCK;
    const call = this.#statfs(path);
    const settled = call.then(
      () => undefined,
      () => undefined,
    );
    this.#pending.set(path, settled);
    void settled.then(() => this.#pending.delete(path));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<typeof STUCK>((r) => {
      timer = setTimeout(() => r(STUCK), this.#timeoutMs);
    });
    try {
      return await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async update(): Promise<void> {
    const mounts = this.#mounts();
    const results = await Promise.all(
      mounts.map(async (m) => {
        try {
          return await this.#stat(join(this.#rootfs, m.mountPoint));
        } catch (err) {
          return err instanceof Error ? err : new Error(String(err));
        }
      }),
    );
    const next = new Map<string, Record<"device" | "fstype" | "mountpoint", string>>();
    const totals: FilesystemTotals = { totalBytes: 0, usedBytes: 0, freeBytes: 0 };
    mounts.forEach((m, i) => {
      const labels = { device: m.device, fstype: m.fsType, mountpoint: m.mountPoint };
      const key = `${m.device}\0${m.mountPoint}`;
      next.set(key, labels);
      const r = results[i];
      this.#readonly.set(labels, m.readOnly ? 1 : 0);
      if (r === STUCK || r instanceof Error) {
        this.#error.set(labels, 1);
        for (const g of Object.values(this.#gauges)) g.remove(labels);
        this.#percent.remove(labels);
        return;
      }
      this.#error.set(labels, 0);
      const size = r.blocks * r.bsize;
      const free = r.bfree * r.bsize;
      this.#gauges.size.set(labels, size);
      this.#gauges.free.set(labels, free);
      this.#gauges.avail.set(labels, r.bavail * r.bsize);
      this.#gauges.files.set(labels, r.files);
      this.#gauges.filesFree.set(labels, r.ffree);
      if (size > 0) this.#percent.set(labels, ((size - free) / size) * 100);
      totals.totalBytes += size;
      totals.freeBytes += free;
      totals.usedBytes += size - free;
    });
    for (const [key, labels] of this.#reported) {
      if (next.has(key)) continue;
      for (const g of [...Object.values(this.#gauges), this.#error, this.#readonly, this.#percent])
        g.remove(labels);
    }
    this.#reported = next;
    this.#totals = totals;
    this.#report = {
      currentBytes: totals.usedBytes,
      peakBytes: Math.max(this.#report.peakBytes, totals.usedBytes),
      totalCapacityBytes: totals.totalBytes,
    };
  }

  /** Mount points whose statfs has not answered yet (stuck mounts). */
  stuckMounts(): string[] {
    return [...this.#pending.keys()];
  }

  close(): void {
    this.#proc.close();
  }
}
