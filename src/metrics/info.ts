/**
 * Info and StateSet, the OpenMetrics types for facts and enumerations. Both are stored as
 * gauges (1 for the fact / the current state, 0 for the other states); the Prometheus text
 * format renders them as gauges, OpenMetrics with their own types.
 */
import { ErrorCode, HeadroomError } from "../errors.js";
import { Gauge } from "./gauge.js";
import { labelValuesOf, validateLabelNames } from "./identity.js";

export interface InfoOptions {
  namespace?: string;
  /** Full sample name; must end in `_info` (`nodejs_version_info`). */
  name: string;
  help: string;
  labels: Readonly<Record<string, string>>;
}

export class Info extends Gauge<string> {
  override readonly type = "info" as const;

  constructor(options: InfoOptions, now: () => number) {
    if (!options.name.endsWith("_info")) {
      throw new HeadroomError(
        ErrorCode.InvalidName,
        `[metrics] info metric "${options.name}" must end in _info`,
        {
          data: { name: options.name },
        },
      );
    }
    const labelNames = Object.keys(options.labels);
    super({ namespace: options.namespace, name: options.name, help: options.help, labelNames }, now);
    this.set(options.labels, 1);
  }

  /** Replaces the fact (same label names, new values). */
  update(labels: Readonly<Record<string, string>>): void {
    labelValuesOf(this.name, this.labelNames, labels);
    this.clear();
    this.set(labels, 1);
  }
}

export interface StateSetOptions {
  namespace?: string;
  name: string;
  help: string;
  states: readonly string[];
}

export class StateSet extends Gauge<string> {
  override readonly type = "stateset" as const;
  readonly states: readonly string[];

  constructor(options: StateSetOptions, now: () => number) {
    super(
      { namespace: options.namespace, name: options.name, help: options.help, labelNames: [options.name] },
      now,
    );
    validateLabelNames(this.name, [options.name]);
    if (options.states.length === 0 || new Set(options.states).size !== options.states.length) {
      throw new HeadroomError(
        ErrorCode.InvalidArgument,
        `[metrics] ${this.name}: states must be non-empty and unique`,
      );
    }
    this.states = Object.freeze([...options.states]);
    for (const state of this.states) super.set({ [options.name]: state }, 0);
  }

  /** Makes `state` the one that is set; an unknown state is counted and dropped. */
  setState(state: string): void {
    if (!this.states.includes(state)) {
      this.table.rejected++;
      return;
    }
    for (const s of this.states) super.set({ [this.labelNames[0]]: s }, s === state ? 1 : 0);
  }
}
