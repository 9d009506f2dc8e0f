/**
 * Pure parser for /proc/<pid>/mountinfo and node_exporter 1.5's default filesystem exclusions
 * (pseudo filesystems and the mount points under /dev, /proc, /sys, container storage).
 */
import { parseError, requireComplete } from "./parse-util.js";

const C = "host:filesystem";

export interface MountEntry {
  /** The mount source (`/dev/vda`, `tmpfs`, `server:/export`): node_exporter's `device` label. */
  device: string;
  /** The mount point as the kernel sees it, octal escapes (`\040`) decoded. */
  mountPoint: string;
  fsType: string;
  readOnly: boolean;
}

/** node_exporter 1.5's `--collector.filesystem.mount-points-exclude` default. */
export const DEFAULT_MOUNT_POINTS_EXCLUDE =
  /^\/(dev|proc|run\/credentials\/.+|sys|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+)($|\/)/;

/** node_exporter 1.5's `--collector.filesystem.fs-types-exclude` default. */
export const DEFAULT_FS_TYPES_EXCLUDE =
  /^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$/;

function decodeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

export function parseMountinfo(text: string): MountEntry[] {
  requireComplete(text, C, "mountinfo");
  const out: MountEntry[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const p = lines[i].split(" ");
    const sep = p.indexOf("-", 6);
    if (sep < 0 || p.length < sep + 3) {
      throw parseError(C, `mountinfo line ${i + 1} is malformed: ${JSON.stringify(lines[i])}`, {
        line: i + 1,
      });
    }
    const options = p[5].split(",");
    out.push({
      device: decodeOctal(p[sep + 2]),
      mountPoint: decodeOctal(p[4]),
      fsType: p[sep + 1],
      readOnly: options.includes("ro"),
    });
  }
  return out;
}

export interface MountFilter {
  mountPointsExclude?: RegExp;
  fsTypesExclude?: RegExp;
}

/** The mounts node_exporter would report, first entry per mount point kept (stacked mounts). */
export function filterMounts(mounts: readonly MountEntry[], filter: MountFilter = {}): MountEntry[] {
  const mp = filter.mountPointsExclude ?? DEFAULT_MOUNT_POINTS_EXCLUDE;
  const fs = filter.fsTypesExclude ?? DEFAULT_FS_TYPES_EXCLUDE;
  const seen = new Set<string>();
  const out: MountEntry[] = [];
  for (const m of mounts) {
    if (mp.test(m.mountPoint) || fs.test(m.fsType)) continue;
    const key = `${m.device}\0${m.mountPoint}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m);
  }
  return out;
}
