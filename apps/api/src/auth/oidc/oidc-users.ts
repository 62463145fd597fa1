import { Inject, Injectable } from '@nestjs/common';
import { usernameSchema, type EventMeta } from '@vigil/shared';
import { createHash, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { requestMeta } from '../../common/request-meta';
import { VIGIL_CONFIG } from '../../config/config.module';
import type { OidcConfig } from '../../config/oidc-config.schema';
import type { VigilConfig } from '../../config/vigil-config.schema';
import { ConcurrencyError, EventStore } from '../../event-store/event-store';
import { UsersProjection } from '../users.projection';
import { userIdFor, userStreamOf, type UserRecord } from '../users-state';
import type { VerifiedIdentity } from './oidc-client';
import { groupsOf, mappedRole } from './role-mapping';
import { SsoRefusal } from './sso-refusal';

/** Who appends what the provider decided (role changes, first sign-ins). */
const OIDC_ACTOR = { id: 'oidc', username: 'oidc', roles: [] };

/**
 * The Vigil user for an SSO identity: created at the first sign-in (user.created,
 * source oidc, with issuer and subject), its role set from the mapped groups at
 * every sign-in (user.role-changed when it differs). SSO never signs anyone into
 * a local (password) user, even one of the same name.
 */
@Injectable()
export class OidcUsers {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(UsersProjection) private readonly users: UsersProjection,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
  ) {}

  async userFor(identity: VerifiedIdentity, oidc: OidcConfig, request: Request): Promise<UserRecord> {
    const groups = groupsOf(identity.claims, oidc.roleClaim);
    const shownName = this.preferredName(identity, oidc);
    const role = mappedRole(oidc, groups);
    if (role === undefined) {
      throw new SsoRefusal('unmapped', `no role mapped for groups [${groups.join(', ')}] (claim "${oidc.roleClaim}")`, shownName);
    }
    const meta: EventMeta = { ...requestMeta(request), actor: OIDC_ACTOR };
    let user = this.users.byOidcIdentity(identity.issuer, identity.subject) ?? (await this.create(identity, shownName, role, meta));
    if (user.disabled) throw new SsoRefusal('disabled', 'user disabled', user.username);
    if (user.role !== role) {
      await this.store.append(
        userStreamOf(user.id),
        'any',
        [{ type: 'user.role-changed', data: { userId: user.id, username: user.username, role, previousRole: user.role } }],
        { ...meta, causationId: `oidc-groups:${groups.join(',')}`.slice(0, 200) },
      );
      user = this.users.get(user.id) ?? { ...user, role };
    }
    return user;
  }

  private async create(identity: VerifiedIdentity, name: string, role: string, meta: EventMeta): Promise<UserRecord> {
    const username = this.freeUsername(name, identity);
    // The id derives from the identity (never a username a local user could hold).
    const userId = userIdFor(`\u0000oidc:${identity.issuer}:${identity.subject}`);
    let createdAt: string | undefined;
    try {
      const [stored] = await this.store.append(
        userStreamOf(userId),
        0,
        [
          {
            type: 'user.created',
            data: { userId, username, role, passwordHash: '', source: 'oidc', issuer: identity.issuer, subject: identity.subject },
          },
        ],
        { ...meta, correlationId: meta.correlationId || randomUUID() },
      );
      createdAt = stored.time;
    } catch (error) {
      // A concurrent first sign-in of the same person created it: use that one.
      if (!(error instanceof ConcurrencyError)) throw error;
    }
    const user = this.users.get(userId);
    if (user) return user;
    // A store that publishes later than it resolves (PostgreSQL): the committed event says the same.
    if (createdAt === undefined) throw new SsoRefusal('conflict', `user ${userId} could not be created`, username);
    const { issuer, subject } = identity;
    return {
      id: userId,
      username,
      role,
      disabled: false,
      passwordHash: '',
      createdAt,
      source: 'oidc',
      issuer,
      subject,
      sessions: new Map(),
      sessionGeneration: 0,
    };
  }

  /** The username to show: the configured claim, else the email's local part, else from the subject. */
  private preferredName(identity: VerifiedIdentity, oidc: OidcConfig): string {
    const email = identity.claims.email;
    const candidates = [identity.claims[oidc.usernameClaim], typeof email === 'string' ? email.split('@')[0] : undefined];
    for (const candidate of candidates) {
      if (typeof candidate !== 'string') continue;
      const name = candidate
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, '-')
        .replace(/^[^a-z0-9]+/, '')
        .slice(0, 56);
      if (usernameSchema.safeParse(name).success) return name;
    }
    return `sso-${shortHash(identity)}`;
  }

  /** `name`, or `name-<hash>` when someone else already has it. */
  private freeUsername(name: string, identity: VerifiedIdentity): string {
    if (!this.users.byUsername(name)) return name;
    const suffixed = `${name}-${shortHash(identity)}`;
    if (!this.users.byUsername(suffixed)) return suffixed;
    throw new SsoRefusal('conflict', `username "${name}" is taken`, name);
  }
}

function shortHash(identity: VerifiedIdentity): string {
  return createHash('sha256').update(`${identity.issuer}\n${identity.subject}`).digest('hex').slice(0, 6);
}
