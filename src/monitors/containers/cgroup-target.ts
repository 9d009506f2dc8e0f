/**
 * Finding a cgroup to read: from a pid (/proc/<pid>/cgroup against the mount table), which is
 * how a container found through the Docker API (its `State.Pid`) or the agent itself (`self`)
 * maps to cgroup directories on v1, v2 and hybrid hosts alike.
 */
import { readFileSync } from "node:fs";
import {
  type CgroupDirs,
  type CgroupLayout,
  cgroupDirs,
  detectCgroupLayout,
  parseProcCgroup,
} from "./cgroup-layout.js";

export interface CgroupTarget {
  /** cAdvisor's `id` label: the cgroup path (`/docker/abc`, `/system.slice/docker-abc.scope`). */
  id: string;
  /** cAdvisor's `name` label (the container name), "" for plain cgroups. */
  name: string;
  /** cAdvisor's `image` label, "" when unknown. */
  image: string;
  dirs: CgroupDirs;
}

export interface CgroupLocation {
  /** Where procfs is mounted; default `/proc`. */
  procfs?: string;
  /** Prefix for cgroup mount points (an agent watching the host through `--path.rootfs`). */
  rootPrefix?: string;
}

/**
 * The cgroup layout from a process's mount table: this process's (`self`, the default), or pid
 * 1's when looking at other processes through a bind-mounted host /proc, whose mount points
 * are the host's and map to this process's view through `rootPrefix`. Falls back to `self`
 * when pid 1's table cannot be read.
 */
export function readCgroupLayout(location: CgroupLocation = {}, pid: 1 | "self" = "self"): CgroupLayout {
  const procfs = location.procfs ?? "/proc";
  let text: string;
  try {
    text = readFileSync(`${procfs}/${pid}/mountinfo`, "latin1");
  } catch (err) {
    if (pid === "self") throw err;
    text = readFileSync(`${procfs}/self/mountinfo`, "latin1");
  }
  return detectCgroupLayout(text);
}

/** The cgroup directories of `pid` (`"self"` for this process). Throws when the pid is gone. */
export function cgroupTargetForPid(
  pid: number | "self",
  labels: { name?: string; image?: string } = {},
  location: CgroupLocation = {},
  layout: CgroupLayout = readCgroupLayout(location),
): CgroupTarget {
  const proc = parseProcCgroup(readFileSync(`${location.procfs ?? "/proc"}/${pid}/cgroup`, "latin1"));
  const dirs = cgroupDirs(layout, proc, location.rootPrefix ?? "");
  const id = proc.v1.get("memory") ?? proc.v1.get("cpu") ?? proc.v2 ?? "/";
  return { id, name: labels.name ?? "", image: labels.image ?? "", dirs };
}
