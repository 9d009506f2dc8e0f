/**
 * The resource manager's vocabulary (seed 004): resource types as a bit-flag set, metadata
 * flags, priorities, pressure levels and acquisition modes. Plain `as const` objects so they
 * tree-shake and cross a worker boundary as numbers or strings.
 */

/** One bit per kind of resource. A resource has exactly one type; budgets are kept per type. */
export const ResourceType = {
  /** Physical hardware resources (timers, DMA channels, device buffers). */
  Hardware: 0x01,
  /** Memory regions, pools, caches. */
  Memory: 0x02,
  /** CPU time, bandwidth limits. */
  Performance: 0x04,
  /** Message queues, event channels, connections. */
  Communication: 0x08,
  /** Platform-specific resources. */
  Platform: 0x10,
  /** Anything else the application defines. */
  Custom: 0x80000000,
} as const;

export type ResourceType = (typeof ResourceType)[keyof typeof ResourceType];

/** Every resource type, in a stable order (reports, metrics). */
export const allResourceTypes: readonly ResourceType[] = Object.freeze(Object.values(ResourceType));

const typeNames = new Map<number, string>(Object.entries(ResourceType).map(([k, v]) => [v, k.toLowerCase()]));

/** The lower-case name of a type (`memory`), used as a metric label and in reports. */
export function resourceTypeName(type: ResourceType): string {
  return typeNames.get(type) ?? `0x${(type >>> 0).toString(16)}`;
}

/** True when `value` is exactly one of the known resource types (not a combination). */
export function isResourceType(value: unknown): value is ResourceType {
  return typeof value === "number" && typeNames.has(value);
}

/** Capabilities of a resource, combinable with `|`. */
export const ResourceFlags = {
  None: 0,
  Cacheable: 0x01,
  GPUAccessible: 0x02,
  /** The resource may be shared between owners with `shareResource`. */
  Shareable: 0x04,
  DMACapable: 0x08,
} as const;

export type ResourceFlag = (typeof ResourceFlags)[keyof typeof ResourceFlags];

export const AccessPattern = {
  ReadOnly: "read-only",
  WriteOnly: "write-only",
  ReadWrite: "read-write",
  Streaming: "streaming",
} as const;

export type AccessPattern = (typeof AccessPattern)[keyof typeof AccessPattern];

/**
 * Priority decides who may use a budget's reserved bytes: only High and Critical requests
 * reach into the reserve, so the last bytes stay available for work that must succeed.
 */
export const ResourcePriority = {
  Low: 0,
  Normal: 1,
  High: 2,
  Critical: 3,
} as const;

export type ResourcePriority = (typeof ResourcePriority)[keyof typeof ResourcePriority];

/** Pressure on one type's budget, ordered so levels compare with `<`. */
export const ResourcePressure = {
  None: 0,
  Low: 1,
  Medium: 2,
  High: 3,
  Critical: 4,
} as const;

export type ResourcePressure = (typeof ResourcePressure)[keyof typeof ResourcePressure];

const pressureNames = ["none", "low", "medium", "high", "critical"] as const;

/** `none`, `low`, `medium`, `high` or `critical`. */
export function pressureName(level: ResourcePressure): (typeof pressureNames)[number] {
  return pressureNames[level];
}

export const AcquisitionMode = {
  /** Fail at once when the budget, the pool or the named resource is not available. */
  NonBlocking: "non-blocking",
  /** Wait in FIFO order until the budget, a pool block or the named resource frees. */
  Blocking: "blocking",
  /** As Blocking, with a deadline (`timeoutMs`, else the manager's default). */
  Timeout: "timeout",
  /**
   * Granted even past the budget (counted, reported, and the type's pressure goes critical).
   * The budget is what it overrides: a name still held or a pool with no block left still fail.
   */
  Emergency: "emergency",
} as const;

export type AcquisitionMode = (typeof AcquisitionMode)[keyof typeof AcquisitionMode];

/** What a resource is: the seed's ResourceMetadata in camelCase. */
export interface ResourceMetadata {
  readonly type: ResourceType;
  /** Bytes charged to the type's budget; a positive integer. */
  readonly sizeBytes: number;
  /** A power of two; 1 when omitted. */
  readonly alignmentBytes?: number;
  readonly accessPattern?: AccessPattern;
  /** Normal when omitted. */
  readonly priority?: ResourcePriority;
  /** `ResourceFlags` combined with `|`; None when omitted. */
  readonly flags?: number;
}

/** True when `n` is a positive power of two that fits in 32 bits. */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && n <= 0x40000000 && (n & (n - 1)) === 0;
}

/**
 * Checks metadata once, before anything is charged. Returns the reason it is invalid (naming
 * the offending field), or undefined when it is valid.
 */
export function metadataProblem(metadata: ResourceMetadata | undefined): string | undefined {
  if (metadata === null || typeof metadata !== "object") return "metadata must be an object";
  if (!isResourceType(metadata.type)) return `metadata.type ${String(metadata.type)} is not one ResourceType`;
  const size = metadata.sizeBytes;
  if (!Number.isSafeInteger(size) || size <= 0)
    return `metadata.sizeBytes ${String(size)} must be a positive integer`;
  const align = metadata.alignmentBytes;
  if (align !== undefined && !isPowerOfTwo(align)) {
    return `metadata.alignmentBytes ${String(align)} must be a power of two`;
  }
  const priority = metadata.priority;
  if (priority !== undefined && (priority as number) !== (priority & 3)) {
    return `metadata.priority ${String(priority)} is not a ResourcePriority`;
  }
  const flags = metadata.flags;
  if (flags !== undefined && (!Number.isInteger(flags) || flags < 0 || flags > 0x0f)) {
    return `metadata.flags ${String(flags)} is not a combination of ResourceFlags`;
  }
  return undefined;
}
