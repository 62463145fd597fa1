import { BadRequestException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { can, grantsWithin, type CreatedToken, type CreateTokenRequest, type EventMeta, type TokenSummary } from '@vigil/shared';
import type { SessionInfo } from '../../common/session-user';
import { VIGIL_CONFIG } from '../../config/config.module';
import type { VigilConfig } from '../../config/vigil-config.schema';
import { EventStore } from '../../event-store/event-store';
import { UsersProjection } from '../users.projection';
import { planNewToken, TokenInputError } from './new-token';
import { tokenStreamOf, TokensState, toTokenSummary, type TokenRecord } from './tokens-state';
import { TokensProjection } from './tokens.projection';

/** decide() for API tokens: who may create, list and revoke which, then the events. */
@Injectable()
export class TokensService {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(TokensProjection) private readonly tokens: TokensProjection,
    @Inject(UsersProjection) private readonly users: UsersProjection,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
  ) {}

  async create(body: CreateTokenRequest, session: SessionInfo, meta: EventMeta, now = Date.now()): Promise<CreatedToken> {
    const actor = session.user;
    const ownerId = body.userId ?? actor.id;
    if (ownerId !== actor.id && !can(actor, { kind: 'capability', capability: 'users.manage' })) {
      throw new ForbiddenException({ message: 'a token for another user needs users.manage' });
    }
    const owner = this.users.get(ownerId);
    if (!owner) throw new NotFoundException({ message: `no user ${ownerId}` });
    let planned;
    try {
      planned = planNewToken(this.config, owner, body, now);
    } catch (error) {
      if (error instanceof TokenInputError) {
        throw new BadRequestException({ message: error.message, details: [{ path: `body.${error.field}`, message: error.reason }] });
      }
      throw error;
    }
    // A token never creates a token wider than itself (nor than its owner's role, checked above).
    if (session.user.scope && !(grantsWithin(planned.scope, session.user.scope) && grantsWithin(planned.scope, actor.grants))) {
      throw new ForbiddenException({ message: `a token cannot create a token wider than itself ("${session.token?.name ?? ''}")` });
    }
    const tokenId = planned.tokenId;
    const [stored] = await this.store.append(tokenStreamOf(tokenId), 0, [planned.event], meta);
    // The read model may not have folded it yet: the committed event says the same.
    const record = this.tokens.get(tokenId) ?? new TokensState().apply(stored);
    if (!record) throw new Error(`token ${tokenId} was appended but does not fold`);
    return { id: tokenId, token: planned.secret, summary: toTokenSummary(record, undefined, now) };
  }

  /** Your own tokens; with users.manage, everyone's (or one user's). */
  list(session: SessionInfo, userId: string | undefined, now = Date.now()): TokenSummary[] {
    const manager = can(session.user, { kind: 'capability', capability: 'users.manage' });
    if (userId !== undefined && userId !== session.user.id && !manager) {
      throw new ForbiddenException({ message: "listing another user's tokens needs users.manage" });
    }
    const owner = userId ?? (manager ? undefined : session.user.id);
    return this.tokens
      .all()
      .filter((token) => owner === undefined || token.ownerId === owner)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((token) => toTokenSummary(token, this.tokens.lastUse(token.id), now));
  }

  /** token.revoked: refused from the next request on. Someone else's token is "not found" without users.manage. */
  async revoke(tokenId: string, session: SessionInfo, meta: EventMeta): Promise<void> {
    const token = this.visible(tokenId, session);
    if (token.revokedAt !== undefined) return;
    await this.store.append(
      tokenStreamOf(token.id),
      'any',
      [
        {
          type: 'token.revoked',
          data: { tokenId: token.id, name: token.name, ownerId: token.ownerId, ownerUsername: token.ownerUsername },
        },
      ],
      meta,
    );
  }

  private visible(tokenId: string, session: SessionInfo): TokenRecord {
    const token = this.tokens.get(tokenId);
    const mine = token?.ownerId === session.user.id;
    if (!token || (!mine && !can(session.user, { kind: 'capability', capability: 'users.manage' }))) {
      throw new NotFoundException({ message: `no API token ${tokenId}` });
    }
    return token;
  }
}
