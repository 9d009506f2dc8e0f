/**
 * Turns an acquire call into a validated request, once, before anything is charged: bad
 * names, metadata (zero or negative sizes, alignments that are not powers of two), modes and
 * pools come back as HR_INVALID_ARGUMENT or HR_NOT_FOUND results, never as a corrupted budget.
 */
import { ErrorCode } from "../errors.js";
import type { ResourceHandle } from "./handle-table.js";
import type { AcquireOptions } from "./manager-types.js";
import type { BlockPool } from "./pool-config.js";
import type { PoolManager } from "./pool-manager.js";
import { type AcquireResult, fail } from "./result.js";
import { AcquisitionMode, metadataProblem, type ResourceMetadata, ResourcePriority } from "./types.js";

/** A validated acquire request. */
export interface Request {
  readonly name: string;
  readonly metadata: ResourceMetadata;
  readonly mode: AcquisitionMode;
  readonly pool: BlockPool | undefined;
  /** "" when anonymous (anonymous waits take no part in deadlock checks). */
  readonly owner: string;
  readonly create: ((handle: ResourceHandle) => unknown) | undefined;
  readonly destroy: ((value: unknown) => void) | undefined;
  readonly priority: ResourcePriority;
}

const modes = new Set<string>(Object.values(AcquisitionMode));

export function buildRequest(
  pools: PoolManager,
  name: string,
  metadata: ResourceMetadata,
  mode: AcquisitionMode,
  options: AcquireOptions<unknown>,
): Request | AcquireResult<never> {
  if (typeof name !== "string" || name.length === 0) {
    return fail(ErrorCode.InvalidArgument, "[resources] resource name must be a non-empty string");
  }
  const problem = metadataProblem(metadata);
  if (problem !== undefined)
    return fail(ErrorCode.InvalidArgument, `[resources] "${name}": ${problem}`, { name });
  if (!modes.has(mode)) {
    return fail(ErrorCode.InvalidArgument, `[resources] "${name}": unknown acquisition mode ${String(mode)}`);
  }
  const t = options.timeoutMs;
  if (t !== undefined && !(typeof t === "number" && t >= 0 && t <= 2 ** 31 - 1)) {
    return fail(
      ErrorCode.InvalidArgument,
      `[resources] "${name}": timeoutMs ${String(t)} must be in [0, 2^31)`,
      {
        name,
      },
    );
  }
  let pool: BlockPool | undefined;
  if (options.pool !== undefined) {
    pool = pools.getPool(options.pool);
    if (pool === undefined)
      return fail(ErrorCode.NotFound, `[resources] "${name}": no pool "${options.pool}"`);
    if (metadata.sizeBytes > pool.blockSize) {
      return fail(
        ErrorCode.InvalidArgument,
        `[resources] "${name}": sizeBytes ${metadata.sizeBytes} exceeds pool "${pool.name}" blockSize ${pool.blockSize}`,
      );
    }
  }
  return {
    name,
    metadata,
    mode,
    pool,
    owner: options.owner ?? "",
    create: options.create,
    destroy: options.destroy,
    priority: metadata.priority ?? ResourcePriority.Normal,
  };
}
export function disposedFailure(name: string): AcquireResult<never> {
  return fail(ErrorCode.Disposed, `[resources] cannot acquire "${name}": manager is disposed`, { name });
}
