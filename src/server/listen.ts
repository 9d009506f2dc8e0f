/**
 * Binds the app to a socket with @hono/node-server: plain HTTP, or HTTPS when given a
 * certificate and key. Startup failures (port in use, address not available, unreadable
 * certificate) become HeadroomErrors that say what to change.
 */
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import { ErrorCode, HeadroomError } from "../errors.js";

export interface ListenOptions {
  readonly address: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly tls?: { readonly cert: string; readonly key: string };
}

export interface RunningServer {
  /** `http://127.0.0.1:9798` (the bound port, also when 0 was asked for). */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, ends open streams and resolves when the socket is closed. */
  close(): Promise<void>;
}

export async function listen(app: Hono, options: ListenOptions): Promise<RunningServer> {
  let serverOptions: { cert: Buffer; key: Buffer } | undefined;
  if (options.tls) {
    try {
      serverOptions = { cert: readFileSync(options.tls.cert), key: readFileSync(options.tls.key) };
    } catch (err) {
      throw new HeadroomError(
        ErrorCode.Config,
        `[server] cannot read the TLS certificate or key: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  }
  const server = (
    serverOptions
      ? serve({
          fetch: app.fetch,
          port: options.port,
          hostname: options.address,
          createServer: createHttpsServer,
          serverOptions,
        })
      : serve({ fetch: app.fetch, port: options.port, hostname: options.address })
  ) as Server;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.close();
      const where = `${options.address}:${options.port}`;
      const why =
        err.code === "EADDRINUSE"
          ? `port ${options.port} on ${options.address} is already in use; pick another with --port or server.port`
          : err.code === "EADDRNOTAVAIL"
            ? `address ${options.address} is not on this host`
            : err.code === "EACCES"
              ? `no permission to bind ${where} (ports below 1024 need privileges)`
              : `cannot listen on ${where}: ${err.message}`;
      reject(
        new HeadroomError(ErrorCode.Io, `[server] ${why}`, {
          data: { address: options.address, port: options.port },
          cause: err,
        }),
      );
    };
    server.once("error", onError);
    server.once("listening", () => {
      server.off("error", onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.address.includes(":") ? `[${options.address}]` : options.address;
  return {
    url: `${options.tls ? "https" : "http"}://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Live streams hold their sockets open; end them so close() completes.
        server.closeAllConnections();
      }),
  };
}
