/**
 * The RAII side of the manager: `using ref = result.value` releases at scope exit. Release is
 * synchronous, so these implement `Symbol.dispose` only. Releasing twice is harmless: the
 * second call returns false and the manager counts it.
 */
import type { ResourceHandle } from "./handle-table.js";

/** The manager methods a reference calls back into. */
export interface ReleaseTarget {
  /** Drops the acquirer's reference; false when it was already dropped (counted). */
  releaseResource(handle: ResourceHandle): boolean;
  /** Drops one share held by `owner`; false when the resource is gone (counted). */
  releaseShare(handle: ResourceHandle, owner: string): boolean;
  /** Counts a release of a reference that had already been released. */
  countDoubleRelease(): void;
}

/** The seed's ResourceRef<T>: a typed value with its handle, released on dispose. */
export class ResourceRef<T> {
  readonly handle: ResourceHandle;
  #target: ReleaseTarget;
  #value: T;
  #released = false;

  constructor(target: ReleaseTarget, handle: ResourceHandle, value: T) {
    this.#target = target;
    this.handle = handle;
    this.#value = value;
  }

  /** The resource's value (what `create` returned, or the pool block's bytes). */
  get value(): T {
    return this.#value;
  }

  get released(): boolean {
    return this.#released;
  }

  /** Releases the resource (or this owner's share of it). False, and counted, on a second call. */
  release(): boolean {
    if (this.#released) {
      this.#target.countDoubleRelease();
      return false;
    }
    this.#released = true;
    return this.#target.releaseResource(this.handle);
  }

  [Symbol.dispose](): void {
    if (!this.#released) this.release();
  }
}

/** The seed's ScopedResource: an untyped handle released on dispose. */
export class ScopedResource {
  readonly #ref: ResourceRef<unknown>;

  constructor(ref: ResourceRef<unknown>) {
    this.#ref = ref;
  }

  handle(): ResourceHandle {
    return this.#ref.handle;
  }

  get released(): boolean {
    return this.#ref.released;
  }

  release(): boolean {
    return this.#ref.release();
  }

  [Symbol.dispose](): void {
    this.#ref[Symbol.dispose]();
  }
}

/** A reference `shareResource` handed to another owner; the resource lives until every owner released. */
export class SharedResource {
  readonly handle: ResourceHandle;
  readonly owner: string;
  #target: ReleaseTarget;
  #released = false;

  constructor(target: ReleaseTarget, handle: ResourceHandle, owner: string) {
    this.#target = target;
    this.handle = handle;
    this.owner = owner;
  }

  get released(): boolean {
    return this.#released;
  }

  release(): boolean {
    if (this.#released) {
      this.#target.countDoubleRelease();
      return false;
    }
    this.#released = true;
    return this.#target.releaseShare(this.handle, this.owner);
  }

  [Symbol.dispose](): void {
    if (!this.#released) this.release();
  }
}
