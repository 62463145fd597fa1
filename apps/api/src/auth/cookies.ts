import { CSRF_COOKIE, SESSION_COOKIE } from '@vigil/shared';
import type { Request, Response } from 'express';

/** Parses a Cookie header (RFC 6265 pairs); the first occurrence of a name wins. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!name || cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      cookies.set(name, value);
    }
  }
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
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', `Max-Age=${options.maxAgeSeconds}`, 'SameSite=Strict'];
  if (options.maxAgeSeconds === 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
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
