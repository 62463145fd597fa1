import { grantsWithin, type NewEvent, type RoleGrants } from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import type { VigilConfig } from '../../config/vigil-config.schema';
import { grantsOf, roleExists } from '../user-events';
import type { UserRecord } from '../users-state';
import { apiTokenHash, newApiToken } from './api-token-secret';

/** The longest a token may live: long enough for a service account, short enough to be reviewed. */
export const MAX_TOKEN_DAYS = 3 * 366;
const DAY_MS = 86_400_000;

export interface NewTokenInput {
  name: string;
  role?: string;
  grants?: RoleGrants;
  expiresAt: string;
}

/** A request for a token that cannot be granted, with the field at fault (400 over HTTP, usage error in the CLI). */
export class TokenInputError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export interface PlannedToken {
  tokenId: string;
  /** The token itself: shown once, never stored. */
  secret: string;
  scope: RoleGrants;
  event: NewEvent<'token.created'>;
}

/**
 * decide() for a new token, shared by POST /api/tokens and `vigil token add`: the
 * role exists, the expiry is ahead (and not too far), and the scope only narrows
 * the owner's role.
 */
export function planNewToken(config: VigilConfig, owner: UserRecord, input: NewTokenInput, now = Date.now()): PlannedToken {
  if (owner.disabled) throw new TokenInputError('userId', `user "${owner.username}" is disabled`);
  if (input.role !== undefined && !roleExists(config, input.role)) {
    throw new TokenInputError('role', `unknown role "${input.role}" (one of: ${Object.keys(config.roles).join(', ')})`);
  }
  const expires = Date.parse(input.expiresAt);
  if (!Number.isFinite(expires)) throw new TokenInputError('expiresAt', 'not a time');
  if (expires <= now) throw new TokenInputError('expiresAt', 'must be in the future');
  if (expires > now + MAX_TOKEN_DAYS * DAY_MS) throw new TokenInputError('expiresAt', `at most ${MAX_TOKEN_DAYS} days ahead`);
  const scope: RoleGrants = input.grants ?? grantsOf(config, input.role ?? '');
  if (!grantsWithin(scope, grantsOf(config, owner.role))) {
    throw new TokenInputError(
      input.grants ? 'grants' : 'role',
      `wider than the owner's role "${owner.role}": a token's grants can only narrow it`,
    );
  }
  const secret = newApiToken();
  const tokenId = randomUUID();
  return {
    tokenId,
    secret,
    scope,
    event: {
      type: 'token.created',
      data: {
        tokenId,
        name: input.name,
        ownerId: owner.id,
        ownerUsername: owner.username,
        ...(input.role !== undefined ? { role: input.role } : { grants: scope }),
        expiresAt: new Date(expires).toISOString(),
        tokenHash: apiTokenHash(secret),
      },
    },
  };
}
