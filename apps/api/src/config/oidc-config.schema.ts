import { usernameSchema } from '@vigil/shared';
import { z } from 'zod';

/**
 * `auth.oidc`: OpenID Connect sign-in (authorization code flow with PKCE, state
 * and nonce). The provider's groups (or any claim) map to Vigil roles.
 */
export const oidcConfigSchema = z.strictObject({
  /** The provider's issuer URL (its /.well-known/openid-configuration is read from there). https, or http on loopback only. */
  issuer: z.url({ protocol: /^https?$/ }),
  clientId: z.string().min(1).max(500),
  /** Omit for a public client (PKCE alone). */
  clientSecret: z.string().min(1).max(2000).optional(),
  scopes: z
    .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'a scope token'))
    .default(['openid', 'profile', 'email', 'groups'])
    .refine((scopes) => scopes.includes('openid'), 'must include "openid"'),
  /** The claim that lists the user's groups (a string or an array of strings), from the ID token or else userinfo. */
  roleClaim: z.string().min(1).max(200).default('groups'),
  /** Group → role. When several groups match, the first entry listed here wins: list the most privileged first. */
  roleMap: z.record(z.string().min(1).max(500), z.string().min(1).max(64)).default({}),
  /** The role of a user none of whose groups is mapped; without it, such a user is refused. */
  defaultRole: z.string().min(1).max(64).optional(),
  /** The claim Vigil takes the username from at first sign-in (then `email`'s local part, then the subject). */
  usernameClaim: z.string().min(1).max(200).default('preferred_username'),
  /** Shown on the login page as "Sign in with <label>". */
  label: z.string().min(1).max(60).default('SSO'),
  /** The callback URL registered at the provider; default: this server's own `/api/auth/oidc/callback` as the browser reached it. */
  redirectUri: z.url({ protocol: /^https?$/ }).optional(),
});

export type OidcConfig = z.infer<typeof oidcConfigSchema>;

/**
 * Who may still sign in with a password: `all` (default), or `break-glass`: only
 * the local users named in `breakGlassUsers` (for when the provider is down);
 * everyone else signs in through OIDC.
 */
export const passwordLoginSchema = z.enum(['all', 'break-glass']).default('all');
export const breakGlassUsersSchema = z.array(usernameSchema).max(50).default(['admin']);
