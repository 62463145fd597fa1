import { CSRF_COOKIE, SESSION_COOKIE } from '@vigil/shared';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { Request, Response } from 'express';

/** A cookie value: a quoted one (RFC 6265 allows DQUOTE around it) unquoted, then percent-decoded when valid. */
function decode(raw: string): string {
  const value = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Parses a Cookie header with the `cookie` package (RFC 6265 pairs); the first occurrence of a name wins. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const [name, value] of Object.entries(parseCookie(header, { decode }))) if (value !== undefined) cookies.set(name, value);
  return cookies;
}

export function cookieOf(request: Request, name: string): string | undefined {
  return parseCookies(request.header('cookie')).get(name);
}

interface CookieOptions {
  httpOnly: boolean;
  secure: boolean;
  maxAgeSeconds: number;
}

function serialize(name: string, value: string, options: CookieOptions): string {
  return stringifySetCookie(name, value, {
    path: '/',
    maxAge: options.maxAgeSeconds,
    sameSite: 'strict',
    httpOnly: options.httpOnly,
    secure: options.secure,
    ...(options.maxAgeSeconds === 0 ? { expires: new Date(0) } : {}),
  });
}

/**
 * The session cookie (HttpOnly: scripts never see the token; EventSource sends it)
 * and the CSRF cookie (readable by the page, which echoes it in X-CSRF-Token).
 */
export function setSessionCookies(request: Request, response: Response, token: string, csrfToken: string, maxAgeSeconds: number): void {
  const secure = request.secure;
  response.append('Set-Cookie', [
    serialize(SESSION_COOKIE, token, { httpOnly: true, secure, maxAgeSeconds }),
    serialize(CSRF_COOKIE, csrfToken, { httpOnly: false, secure, maxAgeSeconds }),
  ]);
}

export function clearSessionCookies(request: Request, response: Response): void {
  const secure = request.secure;
  response.append('Set-Cookie', [
    serialize(SESSION_COOKIE, '', { httpOnly: true, secure, maxAgeSeconds: 0 }),
    serialize(CSRF_COOKIE, '', { httpOnly: false, secure, maxAgeSeconds: 0 }),
  ]);
}
