import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

// The console's sign-in rides on the same opaque, expiring, revocable sessions as the API's bearer tokens
// (auth_sessions), carried in a cookie the page's scripts cannot read (HttpOnly) and a browser never sends from another
// site (SameSite=Strict), only to the console (Path=/staff). Every write also carries a CSRF token: an HMAC of the
// session token, so it needs no storage and cannot be made without the cookie.

export const SESSION_COOKIE = 'desk_session';
/** Before sign-in there is no session: the sign-in form is tied to a random cookie of its own (double submit). */
export const SIGN_IN_COOKIE = 'desk_sign_in';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const CONSOLE_PATH = '/staff';

export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Secure on HTTPS (directly or behind a trusted proxy that says so), so a deployment behind TLS never sends it in clear. */
function cookieOptions(request: Request, maxAgeMs?: number) {
  return { httpOnly: true, sameSite: 'strict' as const, secure: request.secure, path: CONSOLE_PATH, ...(maxAgeMs !== undefined ? { maxAge: maxAgeMs } : {}) };
}

export function setSessionCookie(request: Request, response: Response, token: string, expiresAt: Date): void {
  response.cookie(SESSION_COOKIE, token, cookieOptions(request, Math.max(0, expiresAt.getTime() - Date.now())));
}

export function clearSessionCookie(request: Request, response: Response): void {
  response.clearCookie(SESSION_COOKIE, cookieOptions(request));
}

export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('ogi-desk console csrf').digest('base64url');
}

/** The sign-in form's token: a random value in its own cookie, echoed by the form. */
export function signInToken(request: Request, response: Response): string {
  const existing = readCookie(request, SIGN_IN_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{20,}$/.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  response.cookie(SIGN_IN_COOKIE, token, cookieOptions(request, 60 * 60_000));
  return token;
}

export function sameToken(expected: string, sent: unknown): boolean {
  if (typeof sent !== 'string' || !sent) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token a write sent: the form field, the header htmx sends, or (for a file upload the guard sees unparsed) the query. */
export function sentCsrfToken(request: Request): unknown {
  const body = request.body as Record<string, unknown> | undefined;
  return body?.[CSRF_FIELD] ?? request.headers[CSRF_HEADER] ?? (request.query as Record<string, unknown>)[CSRF_FIELD];
}
