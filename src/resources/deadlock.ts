/**
 * Wait-for cycle detection between owners. An owner waiting for a named resource waits for
 * every owner holding it; a blocking acquire that would close a cycle can never be granted,
 * so the manager fails it with the cycle instead of parking it forever.
 */
export interface WaitGraph {
  /** Owners holding the named resource now. */
  holdersOf(name: string): Iterable<string>;
  /** Names of the resources `owner` is parked on now. */
  waitsOf(owner: string): Iterable<string>;
}

/**
 * The cycle `owner` would close by waiting for `name`, as a list of owners starting and ending
 * with `owner` (`["a", "b", "a"]`), or undefined when waiting is safe. Depth-first over the
 * current graph; O(owners + waits).
 */
export function findWaitCycle(graph: WaitGraph, owner: string, name: string): string[] | undefined {
  const visited = new Set<string>();
  const path: string[] = [owner];
  const visitName = (n: string): boolean => {
    for (const holder of graph.holdersOf(n)) {
      if (holder === owner) {
        path.push(owner);
        return true;
      }
      if (visited.has(holder)) continue;
      visited.add(holder);
      path.push(holder);
      for (const next of graph.waitsOf(holder)) {
        if (visitName(next)) return true;
      }
      path.pop();
    }
    return false;
  };
  return visitName(name) ? path : undefined;
}
