/**
 * Where a process's cgroups live: which hierarchy the host runs (v1, v2, or hybrid: v1
 * controllers plus a cgroup2 mount, usually at /sys/fs/cgroup/unified) from the mount table,
 * and the cgroup path of a process from /proc/<pid>/cgroup. Both are pure functions over text.
 */
import { parseMountinfo } from "../host/mountinfo.js";
import { parseError, requireComplete } from "../host/parse-util.js";

const C = "containers:cgroup";

export type CgroupMode = "v1" | "v2" | "hybrid";

export interface CgroupLayout {
  mode: CgroupMode;
  /** v1 controller name (`memory`, `cpu`, `cpuacct`, `blkio`, `pids`, `cpuset`) -> mount point. */
  v1: Map<string, string>;
  /** The cgroup2 mount point, if any. */
  v2?: string;
}

/** Detects the layout from a mountinfo text. Throws when no cgroup filesystem is mounted. */
export function detectCgroupLayout(mountinfo: string): CgroupLayout {
  const v1 = new Map<string, string>();
  let v2: string | undefined;
  const lines = mountinfo.split("\n").filter((l) => l !== "");
  const mounts = parseMountinfo(mountinfo);
  mounts.forEach((m, i) => {
    if (m.fsType === "cgroup2") {
      v2 ??= m.mountPoint;
    } else if (m.fsType === "cgroup") {
      // Super options (after the fs type and source) name the controllers: "rw,cpu,cpuacct".
      const parts = lines[i].split(" ");
      const superOpts = parts[parts.length - 1].split(",");
      for (const opt of superOpts) {
        if (["cpu", "cpuacct", "memory", "blkio", "pids", "cpuset", "devices", "freezer"].includes(opt)) {
          if (!v1.has(opt)) v1.set(opt, m.mountPoint);
        }
      }
    }
  });
  if (v1.size === 0 && v2 === undefined) throw parseError(C, "no cgroup or cgroup2 filesystem is mounted");
  const mode: CgroupMode = v1.size === 0 ? "v2" : v2 === undefined ? "v1" : "hybrid";
  return { mode, v1, ...(v2 === undefined ? {} : { v2 }) };
}

export interface ProcCgroup {
  /** v1 controller -> cgroup path (`/docker/abc`). */
  v1: Map<string, string>;
  /** The unified (`0::`) path, if any. */
  v2?: string;
}

/** Parses /proc/<pid>/cgroup (`hierarchy-ID:controller-list:path` per line). */
export function parseProcCgroup(text: string): ProcCgroup {
  requireComplete(text, C, "/proc/<pid>/cgroup");
  const v1 = new Map<string, string>();
  let v2: string | undefined;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const a = line.indexOf(":");
    const b = line.indexOf(":", a + 1);
    if (a < 0 || b < 0 || line[b + 1] !== "/") {
      throw parseError(C, `/proc/<pid>/cgroup line is malformed: ${JSON.stringify(line)}`);
    }
    const controllers = line.slice(a + 1, b);
    const path = line.slice(b + 1);
    if (line.slice(0, a) === "0" && controllers === "") v2 = path;
    else for (const c of controllers.split(",")) if (c) v1.set(c, path);
  }
  return { v1, ...(v2 === undefined ? {} : { v2 }) };
}

/** Directories to read for one cgroup: per v1 controller, and the unified one. */
export interface CgroupDirs {
  v1: Map<string, string>;
  v2?: string;
  /** The mount roots, so limit lookups can walk up to (and not past) them. */
  v1Roots: Map<string, string>;
  v2Root?: string;
}

function joinPath(root: string, path: string): string {
  return path === "/" ? root : `${root.replace(/\/$/, "")}${path}`;
}

/**
 * The directories of a process's cgroups. `rootPrefix` maps mount points seen by the kernel to
 * where this process can read them (the `--path.rootfs` of a containerised agent).
 */
export function cgroupDirs(layout: CgroupLayout, proc: ProcCgroup, rootPrefix = ""): CgroupDirs {
  const v1 = new Map<string, string>();
  const v1Roots = new Map<string, string>();
  for (const [ctl, mount] of layout.v1) {
    const path = proc.v1.get(ctl);
    const root = rootPrefix + mount;
    v1Roots.set(ctl, root);
    if (path !== undefined) v1.set(ctl, joinPath(root, path));
  }
  const out: CgroupDirs = { v1, v1Roots };
  if (layout.v2 !== undefined && proc.v2 !== undefined) {
    out.v2Root = rootPrefix + layout.v2;
    out.v2 = joinPath(out.v2Root, proc.v2);
  }
  return out;
}
