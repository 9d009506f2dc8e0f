/**
 * Per-second rates from cumulative counters, for the seed's "bytes per second" series. A
 * counter that went backwards (device re-attached, counter wrapped) gives no rate for that
 * interval instead of a negative or huge one.
 */
export class RateTracker {
  readonly #prev = new Map<string, { value: number; atMs: number }>();

  /** Rate since the last call with this key, or undefined on the first call and after a reset. */
  rate(key: string, value: number, atMs: number): number | undefined {
    const prev = this.#prev.get(key);
    this.#prev.set(key, { value, atMs });
    if (!prev) return undefined;
    const dt = (atMs - prev.atMs) / 1000;
    if (!(dt > 0) || value < prev.value) return undefined;
    return (value - prev.value) / dt;
  }

  /** Forgets keys not in `present` (devices that went away). */
  retain(present: Set<string>): void {
    for (const k of this.#prev.keys()) {
      const device = k.slice(0, k.indexOf("\0"));
      if (!present.has(device)) this.#prev.delete(k);
    }
  }
}
