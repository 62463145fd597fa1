import type { RoleGrants } from './access-schemas';

/**
 * API tokens (service accounts): a token acts as its owner, narrowed by its own
 * scope (a role's grants or explicit grants; `can()` requires both to allow).
 * Only the token's sha256 is ever stored.
 */

/** Every API token starts with this, so the guard tells it from a session JWT at a glance. */
export const API_TOKEN_PREFIX = 'vgl_';

export interface TokenCreatedData {
  tokenId: string;
  name: string;
  ownerId: string;
  ownerUsername: string;
  /** The scope: a configured role's grants (looked up when used) ... */
  role?: string;
  /** ... or explicit grants. Exactly one of the two is set. */
  grants?: RoleGrants;
  expiresAt: string;
  /** sha256 (hex) of the whole token; never sent to a browser (wireEvent drops it). */
  tokenHash: string;
}

export interface TokenRevokedData {
  tokenId: string;
  name: string;
  ownerId: string;
  ownerUsername: string;
}

export type TokenState = 'active' | 'expired' | 'revoked';

/** A token as GET /api/tokens lists it (never the secret nor its hash). */
export interface TokenSummary {
  id: string;
  name: string;
  ownerId: string;
  ownerUsername: string;
  role?: string;
  grants?: RoleGrants;
  createdAt: string;
  /** Who created it (the owner, an admin, or the CLI). */
  createdBy: string;
  expiresAt: string;
  revokedAt?: string;
  /** Last authenticated request with it, as this server saw it since it started. */
  lastUsedAt?: string;
  lastUsedIp?: string;
  state: TokenState;
}

/** POST /api/tokens answers this; the token itself is shown this once only. */
export interface CreatedToken {
  id: string;
  token: string;
  summary: TokenSummary;
}
