import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { test } from "node:test";
import { SMTPServer } from "smtp-server";
import { runChannelConformance, sampleNotification } from "./conformance.js";
import { createEmailChannel, emailMessage } from "./email-channel.js";

interface Mail {
  to: string[];
  data: string;
}

async function smtp(): Promise<{
  port: number;
  mails: Mail[];
  mode: { v: string };
  close: () => Promise<void>;
}> {
  const mails: Mail[] = [];
  const mode = { v: "ok" };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(_address, _session, cb) {
      if (mode.v === "permanent") {
        cb(Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }));
        return;
      }
      if (mode.v === "transient") {
        cb(Object.assign(new Error("try again later"), { responseCode: 451 }));
        return;
      }
      cb();
    },
    onData(stream, session, cb) {
      let data = "";
      stream.on("data", (c: Buffer) => {
        data += c.toString();
      });
      stream.on("end", () => {
        const done = () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          cb();
        };
        if (mode.v === "slow") setTimeout(done, 2000);
        else done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.server.address() as { port: number }).port;
  return { port, mails, mode, close: () => new Promise<void>((r) => server.close(() => r())) };
}

runChannelConformance(
  "email",
  async () => {
    const s = await smtp();
    const channel = createEmailChannel({
      host: "127.0.0.1",
      port: s.port,
      from: "headroom@localhost",
      to: ["ops@localhost"],
    });
    return {
      channel,
      received: async () =>
        s.mails.map((m) => ({
          status: /Subject: Resource Alert resolved/.test(m.data) ? "resolved" : "firing",
          alertnames: [...m.data.matchAll(/^Alert: (\w+)\r?$/gm)].map((x) => x[1]),
        })),
      fail: (m) => {
        s.mode.v = m;
      },
      slow: () => {
        s.mode.v = "slow";
      },
      close: async () => {
        await channel.close?.();
        await s.close();
      },
    };
  },
  { canFail: true, canBeSlow: true },
);

test("email message has the seed's fields", () => {
  const { subject, text } = emailMessage(sampleNotification("email", "firing"));
  assert.equal(subject, "Resource Alert: HighCpu firing");
  assert.match(
    text,
    /Severity: critical\nResource: cpu=0,instance=host-a\nValue: 93.5\nThreshold: 90\nTime: 2026-11-22T10:00:00.000Z/,
  );
});

test("an SMTP server that drops the connection gives a retryable failure", async () => {
  const server: Server = createServer((sock) => sock.destroy());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const ch = createEmailChannel({
    host: "127.0.0.1",
    port,
    from: "a@localhost",
    to: ["b@localhost"],
    timeoutMs: 2000,
  });
  const err = (await ch
    .send(sampleNotification("email", "firing"), { signal: new AbortController().signal })
    .then(
      () => undefined,
      (e: unknown) => e,
    )) as { message: string; data: { retryable: boolean } };
  assert.match(err.message, /^\[alerts:email\] sending mail via 127\.0\.0\.1/);
  assert.equal(err.data.retryable, true);
  await ch.close?.();
  await new Promise<void>((r) => server.close(() => r()));
});
