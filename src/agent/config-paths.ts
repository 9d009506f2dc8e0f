/**
 * Key-path plumbing for the config loader: snake_case to camelCase, rendering a schema path the
 * way the file spelled it, and listing the keys the schema knows at a path (for suggestions).
 */
import type { z } from "zod";

/** Keys under these names are data (label names), not config keys, and keep their spelling. */
const VERBATIM = new Set(["labels", "headers"]);

export function camelKey(key: string): string {
  return key.replace(/[_-]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A deep copy with every object key camelCased (except the contents of `labels`). */
export function camelize(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(camelize);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[camelKey(k)] = VERBATIM.has(camelKey(k)) ? v : camelize(v);
  }
  return out;
}

/**
 * `["monitoring", "collectionInterval"]` rendered as the user wrote it (`monitoring.collection_interval`
 * in TOML, `monitoring.collectionInterval` in camelCase JSON); array indices as `[0]`.
 */
export function displayPath(path: readonly PropertyKey[], original: unknown): string {
  let node: unknown = original;
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") {
      out += `[${seg}]`;
      node = Array.isArray(node) ? node[seg] : undefined;
      continue;
    }
    const key = String(seg);
    const spelled =
      typeof node === "object" && node !== null
        ? (Object.keys(node).find((k) => camelKey(k) === key) ?? snakeKey(key))
        : snakeKey(key);
    out += out === "" ? spelled : `.${spelled}`;
    node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[spelled] : undefined;
  }
  return out;
}

function snakeKey(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function deletePath(root: unknown, path: readonly PropertyKey[]): void {
  let node = root as Record<PropertyKey, unknown> | undefined;
  for (const seg of path.slice(0, -1)) node = node?.[seg] as Record<PropertyKey, unknown> | undefined;
  if (node) delete node[path[path.length - 1]];
}

type AnySchema = z.core.$ZodType;

/** The object keys the schema accepts at `path` (empty when the path is not an object). */
export function knownKeysAt(schema: AnySchema, path: readonly PropertyKey[]): string[] {
  let node: AnySchema | undefined = unwrap(schema);
  for (const seg of path) {
    if (!node) return [];
    const def = node._zod.def as unknown as Record<string, unknown>;
    if (typeof seg === "number" && def.type === "array") node = unwrap(def.element as AnySchema);
    else if (def.type === "object") node = unwrap((def.shape as Record<string, AnySchema>)[String(seg)]);
    else return [];
  }
  const def = node?._zod.def as unknown as Record<string, unknown> | undefined;
  return def?.type === "object" ? Object.keys(def.shape as object) : [];
}

function unwrap(schema: AnySchema | undefined): AnySchema | undefined {
  let node = schema;
  for (let i = 0; node && i < 8; i++) {
    const def = node._zod.def as unknown as Record<string, unknown>;
    if (def.innerType) node = def.innerType as AnySchema;
    else if (def.type === "pipe") node = def.in as AnySchema;
    else break;
  }
  return node;
}
