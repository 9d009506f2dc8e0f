import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Hono } from "hono";
import { selfSignedCert } from "../../test/support/self-signed-cert.js";
import { isHeadroomError } from "../errors.js";
import { listen } from "./listen.js";

const app = new Hono().get("/", (c) => c.text("hi"));

test("a port already in use is a clear error", async () => {
  const first = await listen(app, { address: "127.0.0.1", port: 0 });
  try {
    await assert.rejects(
      listen(app, { address: "127.0.0.1", port: first.port }),
      (err: unknown) =>
        isHeadroomError(err, "HR_IO") &&
        err.message.includes(`port ${first.port} on 127.0.0.1 is already in use`),
    );
    assert.equal(await (await fetch(`${first.url}/`)).text(), "hi");
  } finally {
    await first.close();
  }
});

test("TLS when given a certificate; a missing certificate is a config error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "headroom-tls-"));
  try {
    const { cert, key } = selfSignedCert(dir);
    const server = await listen(app, { address: "127.0.0.1", port: 0, tls: { cert, key } });
    try {
      assert.match(server.url, /^https:/);
      const body = await new Promise<string>((resolve, reject) => {
        request(`${server.url}/`, { ca: readFileSync(cert) }, (res) => {
          let text = "";
          res.on("data", (c) => {
            text += c;
          });
          res.on("end", () => resolve(text));
        })
          .on("error", reject)
          .end();
      });
      assert.equal(body, "hi");
    } finally {
      await server.close();
    }
    await assert.rejects(
      listen(app, { address: "127.0.0.1", port: 0, tls: { cert: join(dir, "none.pem"), key } }),
      /cannot read the TLS certificate/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
