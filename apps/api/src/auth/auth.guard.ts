import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CSRF_HEADER } from '@vigil/shared';
import type { Request } from 'express';
import { IS_PUBLIC } from './public.decorator';
import { assertCapability } from './require-capability.decorator';
import { setSession, type SessionInfo } from '../common/session-user';
import { AuthFailure, NOT_SIGNED_IN, presentedCredential, SessionAuthenticator } from './session-authenticator';
import { ApiTokenAuthenticator } from './tokens/api-token-authenticator';

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
    @Inject(SessionAuthenticator) private readonly sessions: SessionAuthenticator,
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

  /** The session the request proves, or an AuthFailure (or the API token's 401) saying why not. */
  private authenticate(request: Request): SessionInfo {
    const credential = presentedCredential(request.header('authorization'), request.header('cookie'));
    switch (credential.kind) {
      case 'api-token':
        return this.apiTokens.authenticate(credential.secret, request);
      case 'session':
        return this.sessions.session(credential.token, credential.via, request.method, request.header(CSRF_HEADER));
      case 'none':
        throw new AuthFailure(401, NOT_SIGNED_IN);
    }
  }
}
