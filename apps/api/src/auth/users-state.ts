import type { StoredEvent, UserSummary } from '@vigil/shared';
import { createHash } from 'node:crypto';

/** A user as the server keeps them in memory (the only place a password hash lives besides the log). */
export interface UserRecord {
  id: string;
  username: string;
  role: string;
  disabled: boolean;
  passwordHash: string;
  createdAt: string;
  /** The last password change (epoch seconds): tokens without a `gen` claim issued up to this second are refused. */
  sessionsValidFrom?: number;
  /** The last successful sign-in. */
  lastLoginAt?: string;
  /** Sessions signed in and not yet signed out, ended or expired, by token id. */
  sessions: Map<string, OpenSession>;
  /** Password changes folded so far: a token issued at a lower generation is refused. */
  sessionGeneration: number;
  /** `oidc`: created at a first SSO sign-in (no password); its issuer and subject identify it. */
  source: 'local' | 'oidc';
  issuer?: string;
  subject?: string;
}

/** A session as "My account" lists it (from `user.logged-in`, gone on `user.logged-out`). */
export interface OpenSession {
  jti: string;
  since: string;
  expiresAt: string;
  ip?: string;
}

/**
 * Whether a password change has ended a session. Tokens carry the generation they
 * were issued at (exact, and immune to clock skew between cluster nodes). Older
 * tokens have only `iat` in whole seconds: one issued in the same second as the
 * change may predate it, so it ends too (`<=`, not `<`).
 */
export function sessionEnded(user: UserRecord, claims: { iat: number; gen?: number }): boolean {
  if (claims.gen !== undefined) return claims.gen < user.sessionGeneration;
  return user.sessionsValidFrom !== undefined && claims.iat <= user.sessionsValidFrom;
}

/** The key of an SSO identity: the provider and the user's subject there. */
export function oidcIdentityKey(issuer: string, subject: string): string {
  return `${issuer}\n${subject}`;
}

/** Why a user's open sessions should be looked at again (streams are closed on these). */
export interface UserChange {
  userId: string;
  reason: string;
}

export const USER_STREAM_PREFIX = 'user-';
/** Failed logins for usernames that do not exist (known users' go to their own stream). */
export const LOGIN_FAILURES_STREAM = 'login-failures';

export function userStreamOf(userId: string): string {
  return `${USER_STREAM_PREFIX}${userId}`;
}

/**
 * A user's id is derived from their username (a v8 UUID over sha256), so "the
 * username is taken" is decided by the log itself: user.created is appended with
 * expectedVersion 0, and a second creation of the same name, by a concurrent
 * request or by the CLI in another process, fails its version check (409).
 * Usernames are never renamed or reused for another person's id.
 */
export function userIdFor(username: string): string {
  const bytes = createHash('sha256').update(`vigil:user:${username}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function toSummary(user: UserRecord): UserSummary {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    disabled: user.disabled,
    createdAt: user.createdAt,
    ...(user.lastLoginAt === undefined ? {} : { lastLoginAt: user.lastLoginAt }),
  };
}

/**
 * The users read model: a fold over the user.* events. Rebuilding it from the log
 * gives the same state; `apply` answers what changed for the session holders.
 */
export class UsersState {
  readonly byId = new Map<string, UserRecord>();
  readonly byUsername = new Map<string, UserRecord>();
  /** SSO users by oidcIdentityKey(issuer, subject). */
  readonly byOidcIdentity = new Map<string, UserRecord>();
  /** Revoked token ids → when the token would have expired anyway (ms). */
  readonly revoked = new Map<string, number>();
  position = 0;

  apply(event: StoredEvent, now = Date.now()): UserChange | undefined {
    if (event.position <= this.position) return undefined;
    this.position = event.position;
    switch (event.type) {
      case 'user.created': {
        const data = event.data;
        if (this.byId.has(data.userId) || this.byUsername.has(data.username)) return undefined;
        const user: UserRecord = {
          id: data.userId,
          username: data.username,
          role: data.role,
          disabled: false,
          passwordHash: data.passwordHash,
          createdAt: event.time,
          sessions: new Map(),
          sessionGeneration: 0,
          source: data.source ?? 'local',
          ...(data.issuer !== undefined ? { issuer: data.issuer } : {}),
          ...(data.subject !== undefined ? { subject: data.subject } : {}),
        };
        this.byId.set(user.id, user);
        this.byUsername.set(user.username, user);
        if (data.issuer !== undefined && data.subject !== undefined)
          this.byOidcIdentity.set(oidcIdentityKey(data.issuer, data.subject), user);
        return undefined;
      }
      case 'user.role-changed': {
        const user = this.byId.get(event.data.userId);
        if (!user || user.role === event.data.role) return undefined;
        const previous = user.role;
        user.role = event.data.role;
        return { userId: user.id, reason: `role changed from ${previous} to ${user.role}` };
      }
      case 'user.password-changed': {
        const user = this.byId.get(event.data.userId);
        if (!user) return undefined;
        user.passwordHash = event.data.passwordHash;
        // A new password ends every session opened with the old one.
        user.sessionsValidFrom = Math.floor(Date.parse(event.time) / 1000);
        user.sessions.clear();
        user.sessionGeneration += 1;
        return { userId: user.id, reason: 'password changed' };
      }
      case 'user.disabled': {
        const user = this.byId.get(event.data.userId);
        if (!user || user.disabled) return undefined;
        user.disabled = true;
        return { userId: user.id, reason: 'user disabled' };
      }
      case 'user.enabled': {
        const user = this.byId.get(event.data.userId);
        if (user) user.disabled = false;
        return undefined;
      }
      case 'user.logged-in': {
        const user = this.byId.get(event.data.userId);
        if (!user) return undefined;
        user.lastLoginAt = event.time;
        const session: OpenSession = { jti: event.data.jti, since: event.time, expiresAt: event.data.expiresAt };
        if (event.meta.ip !== undefined) session.ip = event.meta.ip;
        if (Date.parse(event.data.expiresAt) > now) user.sessions.set(event.data.jti, session);
        return undefined;
      }
      case 'user.logged-out': {
        this.byId.get(event.data.userId)?.sessions.delete(event.data.jti);
        const expiresAt = Date.parse(event.data.expiresAt);
        // A token past its expiry is refused anyway: no need to remember it.
        if (Number.isFinite(expiresAt) && expiresAt > now) this.revoked.set(event.data.jti, expiresAt);
        return undefined;
      }
      default:
        return undefined;
    }
  }

  isRevoked(jti: string): boolean {
    return this.revoked.has(jti);
  }

  /** Forgets revocations and open sessions whose tokens have expired. */
  pruneRevoked(now = Date.now()): number {
    for (const user of this.byId.values()) {
      for (const [jti, session] of user.sessions) if (Date.parse(session.expiresAt) <= now) user.sessions.delete(jti);
    }
    let pruned = 0;
    for (const [jti, expiresAt] of this.revoked) {
      if (expiresAt <= now) {
        this.revoked.delete(jti);
        pruned += 1;
      }
    }
    return pruned;
  }

  list(): UserSummary[] {
    return [...this.byId.values()].map(toSummary).sort((a, b) => a.username.localeCompare(b.username));
  }
}
