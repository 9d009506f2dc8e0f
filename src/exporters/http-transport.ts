/**
 * One HTTP request to a destination, classified for the retry loop:
 *   2xx -> ok; 408, 429 and 5xx -> retry (honouring Retry-After); any other status -> reject
 *   (the destination will never take this batch: drop it and count it); a timeout, refused or
 *   reset connection -> retry.
 * Messages name the status and the URL without its user info; headers (credentials) are never
 * part of a message.
 */
import { errorMessage } from "../errors.js";
import { parseRetryAfter } from "./backoff.js";

export type SendOutcome =
  | { readonly kind: "ok" }
  | { readonly kind: "retry"; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly kind: "reject"; readonly reason: string; readonly status?: number };

export interface HttpRequest {
  readonly url: string;
  readonly method?: "POST" | "PUT" | "DELETE";
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array<ArrayBuffer> | string;
  readonly timeoutMs: number;
  /** Looks at a 2xx body for per-item failures (Elasticsearch `_bulk` answers 200 with `errors`). */
  readonly inspect?: (body: string) => SendOutcome;
}

export type FetchLike = typeof fetch;

/** The URL as it may appear in a message: no user name or password. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return "<invalid url>";
  }
}

function snippet(text: string): string {
  const t = text.trim().replace(/\s+/g, " ");
  return t.length > 200 ? `${t.slice(0, 200)}...` : t;
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (!cause) return errorMessage(err);
  return `${errorMessage(err)}: ${cause.message ?? ""}${cause.code ? ` (${cause.code})` : ""}`;
}

/**
 * fetch refuses URLs with user info; credentials written there (`http://user:pass@host`) become
 * a basic Authorization header instead, unless the request already has one.
 */
function splitUserInfo(
  url: string,
  headers: Readonly<Record<string, string>>,
): [string, Record<string, string>] {
  const u = new URL(url);
  if (!u.username && !u.password) return [url, { ...headers }];
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  u.username = "";
  u.password = "";
  const out = { ...headers };
  const has = Object.keys(out).some((k) => k.toLowerCase() === "authorization");
  if (!has) out.Authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
  return [u.toString(), out];
}

export async function sendHttp(req: HttpRequest, fetchImpl: FetchLike = fetch): Promise<SendOutcome> {
  const where = safeUrl(req.url);
  let res: Response;
  let text: string;
  try {
    const [url, headers] = splitUserInfo(req.url, req.headers);
    res = await fetchImpl(url, {
      method: req.method ?? "POST",
      headers,
      body: req.body,
      signal: AbortSignal.timeout(req.timeoutMs),
      redirect: "error",
    });
    text = await res.text();
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === "TimeoutError" || name === "AbortError") {
      return { kind: "retry", reason: `no answer from ${where} within ${req.timeoutMs} ms` };
    }
    return { kind: "retry", reason: `request to ${where} failed: ${causeOf(err)}` };
  }
  if (res.status >= 200 && res.status < 300) return req.inspect ? req.inspect(text) : { kind: "ok" };
  const reason = `${where} answered ${res.status}${text ? `: ${snippet(text)}` : ""}`;
  if (res.status === 408 || res.status === 429 || res.status >= 500) {
    return { kind: "retry", reason, retryAfterMs: parseRetryAfter(res.headers.get("retry-after")) };
  }
  return { kind: "reject", reason, status: res.status };
}
