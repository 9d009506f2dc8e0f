import assert from "node:assert/strict";
import { test } from "node:test";
import type { ResourceMonitor } from "../monitors/resource-monitor.js";
import { everyNth, throttleSlowMonitors } from "./throttle.js";

class Counting implements ResourceMonitor {
  #updates = 0;
  constructor(readonly id: string) {}
  monitorId = () => this.id;
  resourceType = () => "custom" as const;
  getUsageReport() {
    return { currentBytes: this.#updates, peakBytes: this.#updates };
  }
  update(): void {
    this.#updates++;
  }
  get updates(): number {
    return this.#updates;
  }
}

test("everyNth runs the first update and then every Nth; other members reach the monitor's private state", () => {
  const m = new Counting("host.processes");
  const w = everyNth(m, 5);
  for (let i = 0; i < 11; i++) w.update();
  assert.equal(m.updates, 3);
  assert.equal(w.getUsageReport().currentBytes, 3);
  assert.equal(w.monitorId(), "host.processes");
});

test("only the process table is slowed, to about every 5 s; a 5 s interval walks it every tick", () => {
  const [p, c] = throttleSlowMonitors([new Counting("host.processes"), new Counting("host.cpu")], 1000);
  for (let i = 0; i < 10; i++) {
    p?.update();
    c?.update();
  }
  assert.equal(p?.getUsageReport().currentBytes, 2);
  assert.equal(c?.getUsageReport().currentBytes, 10);
  const slow = new Counting("host.processes");
  assert.equal(throttleSlowMonitors([slow], 5000)[0], slow);
});
