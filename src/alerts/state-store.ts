/**
 * Alert state that survives a restart: every instance's state (so `for` keeps counting and a
 * firing alert is not announced again), the notification log (what each channel was last told
 * about each group) and the silences. One interface, a memory implementation here, and file /
 * SQLite implementations in `stores/` for the agent's data directory.
 */
import type { Labels } from "../metrics/snapshot.js";
import type { Silence } from "./silences.js";
import type { InstanceState } from "./state-machine.js";

export interface PersistedInstance {
  readonly rule: string;
  readonly labels: Labels;
  readonly state: InstanceState;
  /** What receivers were last told: "firing", "resolved", or "" when nothing. */
  readonly notified: "firing" | "resolved" | "";
}

export interface NotificationLogEntry {
  /** Channel name and group key, joined by a NUL. */
  readonly key: string;
  /** Fingerprints last delivered as firing / as resolved. */
  readonly firing: readonly string[];
  /** The state each `firing` entry was announced in (`firing`, `nodata`, `error`); default firing. */
  readonly states?: readonly string[];
  readonly resolved: readonly string[];
  readonly sentAtMs: number;
}

export interface PersistedAlertState {
  readonly version: 1;
  readonly savedAtMs: number;
  readonly instances: readonly PersistedInstance[];
  readonly notificationLog: readonly NotificationLogEntry[];
  readonly silences: readonly Silence[];
}

export interface AlertStateStore {
  /**
   * Called once by `engine.load()` at start. Resolves undefined when nothing was saved yet;
   * rejects (HR_STORAGE) when saved state exists but cannot be read, and the engine then starts
   * empty and reports the error rather than refusing to evaluate.
   */
  load(): Promise<PersistedAlertState | undefined>;
  /**
   * Called by the engine after an evaluation that changed state, never concurrently with itself.
   * A rejection is reported and retried on the next change; evaluation goes on.
   */
  save(state: PersistedAlertState): Promise<void>;
}

/** Keeps the state in memory (tests, and processes that want no persistence). */
export function createMemoryStateStore(initial?: PersistedAlertState): AlertStateStore & {
  readonly current: () => PersistedAlertState | undefined;
} {
  let saved = initial === undefined ? undefined : structuredClone(initial);
  return {
    async load() {
      return saved === undefined ? undefined : structuredClone(saved);
    },
    async save(state) {
      saved = structuredClone(state);
    },
    current: () => saved,
  };
}
