/**
 * Adapts a Fetch-API handler to a node:http request listener. Typed structurally so that this
 * directory stays free of `node:` imports.
 */
import type { FetchHandler } from "./metrics-handler.js";

interface NodeRequest {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

interface NodeResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  write(chunk: Uint8Array): unknown;
  end(chunk?: string | Uint8Array): unknown;
}

export function toNodeListener(handler: FetchHandler): (req: NodeRequest, res: NodeResponse) => void {
  return (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const url = new URL(req.url ?? "/", `http://${headers.get("host") ?? "localhost"}`);
    handler(new Request(url, { method: req.method, headers }))
      .then(async (response) => {
        res.statusCode = response.status;
        response.headers.forEach((value, name) => {
          res.setHeader(name, value);
        });
        if (!response.body) return res.end();
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          res.write(value);
        }
        res.end();
      })
      .catch((err: Error) => {
        res.statusCode = 500;
        res.end(`internal error: ${err.message}\n`);
      });
  };
}
