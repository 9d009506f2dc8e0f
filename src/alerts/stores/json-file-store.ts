/**
 * Alert state in one JSON file (the agent points it at its data directory). Writes go to a
 * temporary file that is renamed over the old one, so a crash mid-write leaves the previous
 * state intact.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ErrorCode, HeadroomError } from "../../errors.js";
import type { AlertStateStore, PersistedAlertState } from "../state-store.js";

/** Checks the shape of loaded state; throws HR_STORAGE naming what is wrong. */
export function checkPersistedState(value: unknown, where: string): PersistedAlertState {
  const v = value as Partial<PersistedAlertState> | null;
  if (!v || typeof v !== "object" || v.version !== 1) {
    throw new HeadroomError(ErrorCode.Storage, `[alerts:state] ${where}: not alert state version 1`, {
      data: { where },
    });
  }
  for (const field of ["instances", "notificationLog", "silences"] as const) {
    if (!Array.isArray(v[field])) {
      throw new HeadroomError(ErrorCode.Storage, `[alerts:state] ${where}: field "${field}" is not a list`, {
        data: { where, field },
      });
    }
  }
  return v as PersistedAlertState;
}

let tmpCounter = 0;

export function createJsonFileStateStore(path: string): AlertStateStore {
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw new HeadroomError(ErrorCode.Storage, `[alerts:state] cannot read ${path}`, {
          data: { path },
          cause,
        });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (cause) {
        throw new HeadroomError(ErrorCode.Storage, `[alerts:state] ${path} is not valid JSON`, {
          data: { path },
          cause,
        });
      }
      return checkPersistedState(parsed, path);
    },
    async save(state) {
      const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
      try {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(tmp, JSON.stringify(state));
        await rename(tmp, path);
      } catch (cause) {
        throw new HeadroomError(ErrorCode.Storage, `[alerts:state] cannot write ${path}`, {
          data: { path },
          cause,
        });
      }
    },
  };
}
