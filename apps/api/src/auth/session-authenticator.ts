import { Inject, Injectable } from '@nestjs/common';
import { SESSION_COOKIE } from '@vigil/shared';
import type { SessionInfo } from '../common/session-user';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { parseCookies } from './cookies';
import { SessionTokenError, SessionTokens } from './session-tokens';
import { sessionUserOf } from './user-events';
import { UsersProjection } from './users.projection';
import { sessionEnded } from './users-state';
import { isApiToken } from './tokens/api-token-secret';

/** Methods that change something: with a cookie session they need the CSRF header. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BEARER = /^Bearer[ ]+([^\s]+)\s*$/i;

/** Why a request is not signed in (401) or may not do this with a cookie alone (403). */
export class AuthFailure extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

/** What a request presents: an API token, a session JWT (and how it came), or nothing. */
export type PresentedCredential =
  { kind: 'api-token'; secret: string } | { kind: 'session'; token: string; via: 'bearer' | 'cookie' } | { kind: 'none' };

/**
 * The credential in `Authorization: Bearer` or, without that header, the session
 * cookie. A malformed Authorization header is a failure, not a fall-back to the cookie.
 */
export function presentedCredential(authorization: string | undefined, cookieHeader: string | undefined): PresentedCredential {
  if (authorization !== undefined && authorization !== '') {
    const token = BEARER.exec(authorization)?.[1];
    if (!token) throw new AuthFailure(401, 'the Authorization header must be "Bearer <token>"');
    // API tokens carry their own prefix; anything else is a session JWT.
    return isApiToken(token) ? { kind: 'api-token', secret: token } : { kind: 'session', token, via: 'bearer' };
  }
  const token = parseCookies(cookieHeader).get(SESSION_COOKIE);
  return token ? { kind: 'session', token, via: 'cookie' } : { kind: 'none' };
}

export const NOT_SIGNED_IN = 'not signed in: log in first (POST /api/auth/login)';

/**
 * The session a session JWT proves: the user's CURRENT role and status come from
 * UsersProjection, not the token. Shared by the global guard and the direct
 * stream route, so both refuse exactly the same tokens.
 */
@Injectable()
export class SessionAuthenticator {
  constructor(
    @Inject(SessionTokens) private readonly tokens: SessionTokens,
    @Inject(UsersProjection) private readonly users: UsersProjection,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
  ) {}

  /** `method` and `csrfHeader` matter for cookie sessions only: their writes need the CSRF header. */
  session(token: string, via: 'bearer' | 'cookie', method: string, csrfHeader: string | undefined): SessionInfo {
    let claims;
    try {
      claims = this.tokens.verify(token);
    } catch (error) {
      if (error instanceof SessionTokenError) throw new AuthFailure(401, error.message);
      throw error;
    }
    if (this.users.isRevoked(claims.jti)) throw new AuthFailure(401, 'session ended (logged out): log in again');
    const user = this.users.get(claims.sub);
    if (!user) throw new AuthFailure(401, 'unknown user: log in again');
    if (user.disabled) throw new AuthFailure(401, 'user is disabled');
    if (sessionEnded(user, claims)) {
      throw new AuthFailure(401, 'password changed since this session began: log in again');
    }
    if (via === 'cookie' && UNSAFE_METHODS.has(method) && !this.tokens.csrfMatches(claims.jti, csrfHeader)) {
      throw new AuthFailure(403, 'missing or invalid CSRF token');
    }
    return {
      user: sessionUserOf(this.config, user),
      jti: claims.jti,
      expiresAt: new Date(claims.exp * 1000).toISOString(),
      via,
    };
  }
}
