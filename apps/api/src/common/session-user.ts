import { UnauthorizedException } from '@nestjs/common';
import type { SessionUser } from '@vigil/shared';
import type { Request } from 'express';

/** What the guard (the AuthGuard; on a review server, the reviewer guard) attaches to a request. */
export interface SessionInfo {
  user: SessionUser;
  /** The token's id (logout revokes it). */
  jti: string;
  expiresAt: string;
  /** How the request authenticated: cookie-authenticated writes need the CSRF header; `token` is an API token. */
  via: 'cookie' | 'bearer' | 'token';
  /** With `via: 'token'`: the API token (events it causes name it in `meta.token`). */
  token?: { id: string; name: string };
}

const SESSION = Symbol('vigil:session');

export function setSession(request: Request, session: SessionInfo): void {
  (request as unknown as Record<symbol, SessionInfo>)[SESSION] = session;
}

export function sessionOf(request: Request): SessionInfo | undefined {
  return (request as unknown as Record<symbol, SessionInfo | undefined>)[SESSION];
}

/** The request's session; a 401 without one (routes behind the guard always have one). */
export function requireSession(request: Request): SessionInfo {
  const session = sessionOf(request);
  if (!session) throw new UnauthorizedException({ message: 'not signed in' });
  return session;
}

/** The signed-in user; routes behind the AuthGuard always have one. */
export function userOf(request: Request): SessionUser | undefined {
  return sessionOf(request)?.user;
}
