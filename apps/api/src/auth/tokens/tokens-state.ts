import type { RoleGrants, StoredEvent, TokenState, TokenSummary } from '@vigil/shared';

/** An API token as the server keeps it (its hash, never the token). */
export interface TokenRecord {
  id: string;
  name: string;
  ownerId: string;
  ownerUsername: string;
  role?: string;
  grants?: RoleGrants;
  tokenHash: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  expiresAtMs: number;
  revokedAt?: string;
}

export const TOKEN_STREAM_PREFIX = 'token-';

export function tokenStreamOf(tokenId: string): string {
  return `${TOKEN_STREAM_PREFIX}${tokenId}`;
}

export function tokenStateOf(token: TokenRecord, now = Date.now()): TokenState {
  if (token.revokedAt !== undefined) return 'revoked';
  return token.expiresAtMs <= now ? 'expired' : 'active';
}

/** The tokens read model: a fold over token.created and token.revoked (rebuilding it gives the same state). */
export class TokensState {
  readonly byId = new Map<string, TokenRecord>();
  readonly byHash = new Map<string, TokenRecord>();
  position = 0;

  apply(event: StoredEvent): TokenRecord | undefined {
    if (event.position <= this.position) return undefined;
    this.position = event.position;
    switch (event.type) {
      case 'token.created': {
        const data = event.data;
        if (this.byId.has(data.tokenId) || this.byHash.has(data.tokenHash)) return undefined;
        const token: TokenRecord = {
          id: data.tokenId,
          name: data.name,
          ownerId: data.ownerId,
          ownerUsername: data.ownerUsername,
          ...(data.role !== undefined ? { role: data.role } : {}),
          ...(data.grants !== undefined ? { grants: data.grants } : {}),
          tokenHash: data.tokenHash,
          createdAt: event.time,
          createdBy: event.meta.actor?.username ?? 'unknown',
          expiresAt: data.expiresAt,
          expiresAtMs: Date.parse(data.expiresAt),
        };
        this.byId.set(token.id, token);
        this.byHash.set(token.tokenHash, token);
        return token;
      }
      case 'token.revoked': {
        const token = this.byId.get(event.data.tokenId);
        if (!token || token.revokedAt !== undefined) return undefined;
        token.revokedAt = event.time;
        return token;
      }
      default:
        return undefined;
    }
  }
}

export function toTokenSummary(token: TokenRecord, lastUse: { at: string; ip?: string } | undefined, now = Date.now()): TokenSummary {
  return {
    id: token.id,
    name: token.name,
    ownerId: token.ownerId,
    ownerUsername: token.ownerUsername,
    ...(token.role !== undefined ? { role: token.role } : {}),
    ...(token.grants !== undefined ? { grants: token.grants } : {}),
    createdAt: token.createdAt,
    createdBy: token.createdBy,
    expiresAt: token.expiresAt,
    ...(token.revokedAt !== undefined ? { revokedAt: token.revokedAt } : {}),
    ...(lastUse ? { lastUsedAt: lastUse.at, ...(lastUse.ip ? { lastUsedIp: lastUse.ip } : {}) } : {}),
    state: tokenStateOf(token, now),
  };
}
