/** GET /api/auth/methods (public): how the login page may sign people in. */
export interface AuthMethods {
  /** `all`: anyone with a password; `break-glass`: only the listed local users (the others use SSO). */
  password: 'all' | 'break-glass';
  /** Present when OpenID Connect is configured. */
  oidc?: { label: string; loginUrl: string };
}

/**
 * Why an SSO sign-in ended back on the login page (`/login?sso_error=<code>`). A code,
 * not text, so nobody can craft a login link that shows words of their choosing.
 */
export const SSO_ERROR_CODES = ['idp', 'unmapped', 'state', 'exchange', 'disabled', 'conflict', 'unavailable'] as const;
export type SsoErrorCode = (typeof SSO_ERROR_CODES)[number];
export const SSO_ERROR_PARAM = 'sso_error';
