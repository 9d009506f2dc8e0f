import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ErrorCode, isHeadroomError } from "../errors.js";
import { createObjectPool, type LeaseInfo } from "./object-pool.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("object pool", () => {
  it("creates on demand, reuses, and serves waiters in FIFO order", async () => {
    let made = 0;
    const pool = createObjectPool({ name: "conns", create: () => ({ id: ++made }), max: 2 });
    const a = await pool.acquire("a");
    const b = await pool.acquire("b");
    assert.equal(made, 2);
    const order: string[] = [];
    const c = pool.acquire("c").then((o) => {
      order.push("c");
      return o;
    });
    const d = pool.acquire("d").then((o) => {
      order.push("d");
      return o;
    });
    assert.equal(pool.stats().waiting, 2);
    pool.release(a);
    pool.release(b);
    assert.equal(await c, a);
    assert.equal(await d, b);
    assert.deepEqual(order, ["c", "d"]);
    assert.deepEqual(
      pool.leases().map((l) => l.holder),
      ["c", "d"],
    );
    assert.equal(pool.release(a), true);
    assert.equal(pool.release(a), false);
    assert.equal(pool.release({ id: 99 }), false);
    assert.equal(pool.stats().badFrees, 2);
    assert.equal(pool.tryAcquire(), a);
    await pool.close();
  });

  it("backs off a failing factory instead of spinning, so timeouts fire", async () => {
    let calls = 0;
    const pool = createObjectPool({
      name: "flaky",
      create: () => {
        calls++;
        return Promise.reject(new Error("connection refused"));
      },
      max: 1,
      acquireTimeoutMs: 50,
      backoffMs: 20,
      createRetryLimit: 100,
    });
    await assert.rejects(pool.acquire(), (err) => isHeadroomError(err, ErrorCode.Timeout));
    // 50 ms at 20, 40 ms backoff: a handful of calls, not thousands.
    assert.ok(calls >= 1 && calls <= 4, `calls ${calls}`);
    assert.equal(pool.stats().createErrors, calls);
    assert.match(String((pool.lastCreateError as Error).message), /refused/);
    await pool.close();
  });

  it("fails waiters with HR_UNAVAILABLE after createRetryLimit failures in a row", async () => {
    const pool = createObjectPool({
      name: "down",
      create: () => {
        throw new Error("down");
      },
      max: 1,
      backoffMs: 1,
      createRetryLimit: 3,
    });
    await assert.rejects(
      pool.acquire(),
      (err) => isHeadroomError(err, ErrorCode.Unavailable) && (err.cause as Error).message === "down",
    );
    await pool.close();
  });

  it("validates on checkout, evicts idle and old objects, and reports leases held too long", async () => {
    const destroyed: number[] = [];
    const overdue: LeaseInfo[] = [];
    let made = 0;
    const pool = createObjectPool({
      name: "parsers",
      create: () => ++made,
      destroy: (n) => {
        destroyed.push(n);
      },
      validate: (n) => n !== 1,
      max: 3,
      idleTimeoutMs: 30,
      leaseTimeoutMs: 30,
      onLeaseTimeout: (l) => overdue.push(l),
      sweepIntervalMs: 10,
      captureStacks: true,
    });
    const first = await pool.acquire("init");
    assert.equal(first, 1);
    pool.release(first);
    const second = await pool.acquire("parser-user");
    assert.equal(second, 2); // 1 failed validation and was destroyed
    assert.deepEqual(destroyed, [1]);
    await sleep(80);
    assert.equal(overdue.length, 1);
    assert.equal(overdue[0].holder, "parser-user");
    assert.ok(overdue[0].heldMs >= 30);
    assert.match(overdue[0].stack ?? "", /object-pool\.test\.ts/);
    assert.equal(pool.stats().leaseTimeouts, 1);
    pool.release(second);
    await sleep(80);
    assert.deepEqual(destroyed, [1, 2]);
    assert.equal(pool.stats().capacity, 0);
    await pool.close();
    await assert.rejects(pool.acquire(), (err) => isHeadroomError(err, ErrorCode.Disposed));
  });

  it("destroys objects past maxLifetimeMs on release", async () => {
    const destroyed: number[] = [];
    let made = 0;
    const pool = createObjectPool({
      name: "aging",
      create: () => ++made,
      destroy: (n) => {
        destroyed.push(n);
      },
      max: 1,
      maxLifetimeMs: 20,
      sweepIntervalMs: 5,
    });
    const a = await pool.acquire();
    await sleep(40);
    pool.release(a);
    assert.deepEqual(destroyed, [1]);
    assert.equal(await pool.acquire(), 2);
    await pool.close();
  });

  it("rejects bad options", () => {
    const bad: [object, RegExp][] = [
      [{ max: 0 }, /max 0/],
      [{ max: 2, min: 3 }, /min 3/],
      [{ max: 1, idleTimeoutMs: -1 }, /idleTimeoutMs -1/],
      [{ max: 1, name: "" }, /name must be/],
      [{ max: 1, create: 5 }, /create must be a function/],
    ];
    for (const [extra, message] of bad) {
      assert.throws(
        () => createObjectPool({ name: "x", create: () => 1, ...extra } as never),
        (err) => isHeadroomError(err, ErrorCode.InvalidArgument) && message.test(err.message),
      );
    }
  });
});

describe("object pool under constant contention", () => {
  it("serves every waiter exactly once when the queue never empties", async () => {
    let made = 0;
    const pool = createObjectPool({ name: "busy", create: () => ({ id: ++made }), max: 3 });
    let pairs = 0;
    const inUse = new Set<object>();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        for (let i = 0; i < 200; i++) {
          const obj = await pool.acquire();
          assert.ok(!inUse.has(obj), "an object was handed out twice");
          inUse.add(obj);
          await null;
          inUse.delete(obj);
          pool.release(obj);
          pairs++;
        }
      }),
    );
    assert.equal(pairs, 10_000);
    assert.equal(made, 3);
    const s = pool.stats();
    assert.equal(s.used, 0);
    assert.equal(s.waiting, 0);
    assert.equal(s.highWater, 3);
    await pool.close();
  });

  it("times out exactly the waiters whose deadline passed, across thousands in the queue", async () => {
    const pool = createObjectPool({ name: "deadlines", create: () => ({}), max: 1, acquireTimeoutMs: 150 });
    let held = await pool.acquire("first");
    // 3000 waiters: the first 2000 are served one by one (the queue drops its served front
    // on the way), the last 1000 time out.
    const outcomes: string[] = [];
    const waiters = Array.from({ length: 3000 }, (_, i) =>
      pool.acquire(`w${i}`).then(
        (obj) => {
          outcomes[i] = "served";
          held = obj;
        },
        (err) => {
          outcomes[i] = isHeadroomError(err, ErrorCode.Timeout) ? "timeout" : String(err);
        },
      ),
    );
    for (let i = 0; i < 2000; i++) {
      pool.release(held);
      await null;
      await null;
      assert.equal(outcomes[i], "served", `waiter ${i}`);
    }
    await Promise.all(waiters);
    assert.equal(outcomes.filter((o) => o === "served").length, 2000);
    assert.equal(outcomes.slice(2000).filter((o) => o === "timeout").length, 1000);
    assert.equal(pool.stats().waiting, 0);
    // The object is still the last served waiter's, and the pool still works.
    pool.release(held);
    assert.ok(pool.tryAcquire() !== undefined);
    await pool.close();
  });
});
