import type { SessionUser } from '@vigil/shared';
import type { Request } from 'express';

/** What the AuthGuard attaches to an authenticated request. */
export interface SessionInfo {
  user: SessionUser;
  /** The token's id (logout revokes it). */
  jti: string;
  expiresAt: string;
  /** How the request authenticated: cookie-authenticated writes need the CSRF header. */
  via: 'cookie' | 'bearer';
}

const SESSION = Symbol('vigil:session');

export function setSession(request: Request, session: SessionInfo): void {
  (request as unknown as Record<symbol, SessionInfo>)[SESSION] = session;
}

export function sessionOf(request: Request): SessionInfo | undefined {
  return (request as unknown as Record<symbol, SessionInfo | undefined>)[SESSION];
}

/** The signed-in user; routes behind the AuthGuard always have one. */
export function userOf(request: Request): SessionUser | undefined {
  return sessionOf(request)?.user;
}
