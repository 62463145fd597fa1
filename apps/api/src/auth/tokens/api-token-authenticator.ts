import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import type { SessionInfo } from '../../common/session-user';
import { VIGIL_CONFIG } from '../../config/config.module';
import type { VigilConfig } from '../../config/vigil-config.schema';
import { sessionUserOf } from '../user-events';
import { UsersProjection } from '../users.projection';
import { apiTokenHash } from './api-token-secret';
import { tokenScopeOf } from './token-scope';
import { tokenStateOf } from './tokens-state';
import { TokensProjection } from './tokens.projection';

/**
 * `Authorization: Bearer vgl_…`: the session an API token proves. The request acts
 * as the token's owner (their CURRENT role and status) narrowed by the token's
 * scope, so `can()` decides exactly as for the owner, with both grants required.
 */
@Injectable()
export class ApiTokenAuthenticator {
  constructor(
    @Inject(TokensProjection) private readonly tokens: TokensProjection,
    @Inject(UsersProjection) private readonly users: UsersProjection,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
  ) {}

  authenticate(secret: string, request: Request, now = Date.now()): SessionInfo {
    const token = this.tokens.byHash(apiTokenHash(secret));
    if (!token) throw new UnauthorizedException({ message: 'unknown API token' });
    const state = tokenStateOf(token, now);
    if (state === 'revoked') throw new UnauthorizedException({ message: `API token "${token.name}" was revoked` });
    if (state === 'expired') throw new UnauthorizedException({ message: `API token "${token.name}" expired at ${token.expiresAt}` });
    const owner = this.users.get(token.ownerId);
    if (!owner) throw new UnauthorizedException({ message: 'the owner of this API token no longer exists' });
    if (owner.disabled) throw new UnauthorizedException({ message: `the owner of API token "${token.name}" is disabled` });
    this.tokens.recordUse(token.id, request.ip, now);
    return {
      user: { ...sessionUserOf(this.config, owner), scope: tokenScopeOf(this.config, token) },
      jti: `token:${token.id}`,
      expiresAt: token.expiresAt,
      via: 'token',
      token: { id: token.id, name: token.name },
    };
  }
}
