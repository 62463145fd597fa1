/** The data of the user.* events (sign-in, roles, passwords, status). */

export interface UserCreatedData {
  userId: string;
  username: string;
  role: string;
  /** '' for a user who signs in only through SSO (no password matches it). */
  passwordHash: string;
  /** Where the user came from: absent or `local` (a password user), `oidc` (created at first SSO sign-in). */
  source?: 'local' | 'oidc';
  /** SSO: the provider's issuer and the user's subject there (the identity that signs in). */
  issuer?: string;
  subject?: string;
}
export interface UserRoleChangedData {
  userId: string;
  username: string;
  role: string;
  previousRole: string;
}
export interface UserPasswordChangedData {
  userId: string;
  username: string;
  passwordHash: string;
}
export interface UserStatusData {
  userId: string;
  username: string;
}
export interface UserSessionData {
  userId: string;
  username: string;
  jti: string;
  expiresAt: string;
}
export interface UserLoginFailedData {
  /** The user's name; for a name that matches no user, `#` and a short keyed hash of what was typed. */
  username: string;
  reason: string;
}
/** Kept for code that only needs the common part of user events. */
export interface UserEventData {
  username: string;
  [key: string]: unknown;
}

/** Event type → payload. The discriminated union below is derived from it. */
