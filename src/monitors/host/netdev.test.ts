import assert from "node:assert/strict";
import { test } from "node:test";
import { DEBIAN12, EL6, fixture } from "./fixture-path.test-util.js";
import { parseNetDev } from "./netdev.js";

test("parseNetDev reads both directions per interface", () => {
  const n = parseNetDev(fixture(EL6, "proc/net/dev"));
  const eth0 = n.find((x) => x.device === "eth0");
  assert.equal(eth0?.receive.bytes, 123456789012);
  assert.equal(eth0?.receive.drop, 7);
  assert.equal(eth0?.transmit.errs, 1);
  assert.equal(eth0?.receive.multicast, 12);
  assert.ok(n.some((x) => x.device === "virbr0-nic"));
  assert.ok(parseNetDev(fixture(DEBIAN12, "proc/net/dev")).some((x) => x.device === "lo"));
});

test("parseNetDev refuses malformed text", () => {
  assert.throws(() => parseNetDev("junk\n"), /header/);
  const header = "Inter-|   Receive |  Transmit\n face |bytes|bytes\n";
  assert.throws(() => parseNetDev(`${header}eth0: 1 2 3\n`), /16/);
  assert.throws(() => parseNetDev(`${header}eth0 1 2 3\n`), /no interface name/);
});
