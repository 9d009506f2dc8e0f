/**
 * A webhook receiver on 127.0.0.1 for channel tests: records JSON bodies, and can answer with
 * a status, answer slowly, answer with bytes that are not HTTP, or drop the connection.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceiverMode = "ok" | "slow" | "garbage" | "drop" | number;

export interface TestReceiver {
  readonly url: string;
  readonly bodies: unknown[];
  /** How the next requests are answered (default "ok"). */
  mode: ReceiverMode;
  requests: number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<TestReceiver> {
  const rec = { bodies: [] as unknown[], mode: "ok" as ReceiverMode, requests: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = "";
    req.on("data", (c) => {
      data += c;
    });
    req.on("end", () => {
      rec.requests++;
      const mode = rec.mode;
      if (mode === "drop") {
        req.socket.destroy();
        return;
      }
      if (mode === "garbage") {
        req.socket.end("\u0000\u0001 this is not HTTP \r\n\r\n");
        return;
      }
      if (typeof mode === "number") {
        res.writeHead(mode, { "content-type": "text/plain" }).end(`status ${mode}`);
        return;
      }
      const answer = () => {
        try {
          rec.bodies.push(JSON.parse(data));
        } catch {
          rec.bodies.push(data);
        }
        if (!res.destroyed) res.writeHead(200).end("ok");
      };
      if (mode === "slow") setTimeout(answer, 2000);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(rec, {
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}
