import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CSRF_HEADER, SESSION_COOKIE } from '@vigil/shared';
import type { Request } from 'express';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { cookieOf } from './cookies';
import { IS_PUBLIC } from './public.decorator';
import { assertCapability } from './require-capability.decorator';
import { SessionTokenError, SessionTokens } from './session-tokens';
import { setSession, type SessionInfo } from '../common/session-user';
import { sessionUserOf } from './user-events';
import { UsersProjection } from './users.projection';
import { sessionEnded } from './users-state';
import { ApiTokenAuthenticator } from './tokens/api-token-authenticator';
import { isApiToken } from './tokens/api-token-secret';

/** Methods that change something: with a cookie session they need the CSRF header. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BEARER = /^Bearer[ ]+([^\s]+)\s*$/i;

class AuthFailure extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The global guard (APP_GUARD): every route needs a valid session unless it is
 * @Public(). The token comes from `Authorization: Bearer` or the session cookie;
 * the user's CURRENT role and status come from UsersProjection, not the token.
 * Refusals write nothing to the log.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(SessionTokens) private readonly tokens: SessionTokens,
    @Inject(UsersProjection) private readonly users: UsersProjection,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(ApiTokenAuthenticator) private readonly apiTokens: ApiTokenAuthenticator,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      // A public route may still use a session when one is offered (metrics ingest does).
      try {
        setSession(request, this.authenticate(request));
      } catch {
        // not signed in: fine here
      }
      return true;
    }
    let session: SessionInfo;
    try {
      session = this.authenticate(request);
    } catch (error) {
      if (error instanceof AuthFailure) {
        throw error.status === 401
          ? new UnauthorizedException({ message: error.message })
          : new ForbiddenException({ message: error.message });
      }
      throw error;
    }
    setSession(request, session);
    assertCapability(this.reflector, context, session.user);
    return true;
  }

  /** The session the request proves, or an AuthFailure saying why not. */
  private authenticate(request: Request): SessionInfo {
    const authorization = request.header('authorization');
    let token: string | undefined;
    let via: SessionInfo['via'];
    if (authorization !== undefined && authorization !== '') {
      token = BEARER.exec(authorization)?.[1];
      if (!token) throw new AuthFailure(401, 'the Authorization header must be "Bearer <token>"');
      // API tokens carry their own prefix; anything else is a session JWT.
      if (isApiToken(token)) return this.apiTokens.authenticate(token, request);
      via = 'bearer';
    } else {
      token = cookieOf(request, SESSION_COOKIE);
      via = 'cookie';
    }
    if (!token) throw new AuthFailure(401, 'not signed in: log in first (POST /api/auth/login)');
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
    if (via === 'cookie' && UNSAFE_METHODS.has(request.method) && !this.tokens.csrfMatches(claims.jti, request.header(CSRF_HEADER))) {
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
