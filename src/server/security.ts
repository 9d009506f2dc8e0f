/**
 * Security headers for every response and the optional authentication in front of everything
 * except the health probes. Tokens and passwords are compared in constant time.
 */
import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";

export interface AuthOptions {
  /** `Authorization: Bearer <token>` (scrapers, scripts). */
  readonly token?: string;
  /** `Authorization: Basic` (browsers prompt for it). Both username and password are needed. */
  readonly username?: string;
  readonly password?: string;
}

/**
 * A strict policy: the dashboard loads only its own script and styles, talks only to its own
 * origin, and cannot be framed. uPlot sets styles through the CSSOM, which CSP allows.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
    if (!h.has("Cache-Control")) h.set("Cache-Control", "no-store");
  };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when auth is configured at all. */
export function authEnabled(auth: AuthOptions): boolean {
  return Boolean(auth.token || (auth.username && auth.password));
}

/** Checks an Authorization header against the configured credentials. */
export function authorized(auth: AuthOptions, header: string | undefined): boolean {
  if (!authEnabled(auth)) return true;
  if (!header) return false;
  const space = header.indexOf(" ");
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === "bearer" && auth.token) return same(value, auth.token);
  if (scheme === "basic" && auth.username && auth.password) {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return false;
    // Evaluate both comparisons so timing does not reveal which part was wrong.
    const userOk = same(decoded.slice(0, colon), auth.username);
    const passOk = same(decoded.slice(colon + 1), auth.password);
    return userOk && passOk;
  }
  return false;
}

const OPEN_PATHS = new Set(["/healthz", "/readyz"]);

export function requireAuth(auth: AuthOptions): MiddlewareHandler {
  return async (c, next) => {
    if (!authEnabled(auth) || OPEN_PATHS.has(c.req.path) || authorized(auth, c.req.header("authorization"))) {
      return next();
    }
    const challenge = auth.username ? 'Basic realm="headroom", charset="UTF-8"' : 'Bearer realm="headroom"';
    c.header("WWW-Authenticate", challenge);
    return c.json({ error: "authentication required" }, 401);
  };
}
