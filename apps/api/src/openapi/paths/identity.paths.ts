import { createTokenSchema } from '@vigil/shared';
import { z } from 'zod';
import { body, errors, json, PUBLIC, secured, type FeaturePaths } from '../common';

export const identityPaths: FeaturePaths = {
  '/api/auth/methods': {
    get: {
      tags: ['auth'],
      summary: 'How one may sign in here: password, and SSO with its label when configured',
      security: PUBLIC,
      responses: { '200': json('Sign-in methods') },
    },
  },
  '/api/auth/oidc/login': {
    get: {
      tags: ['auth'],
      summary: 'Start single sign-on: 302 to the provider (authorization code with PKCE, state and nonce)',
      security: PUBLIC,
      requestParams: { query: z.object({ returnUrl: z.string().optional() }) },
      responses: { '302': { description: 'To the provider' }, ...errors(404) },
    },
  },
  '/api/auth/oidc/callback': {
    get: {
      tags: ['auth'],
      summary: "The provider's answer: state, nonce and PKCE checked; 302 to the app signed in, or to /login?sso_error=",
      security: PUBLIC,
      requestParams: { query: z.looseObject({ code: z.string().optional(), state: z.string().optional() }) },
      responses: { '302': { description: 'Back to the app (signed in) or to the login page with the reason code' }, ...errors(404) },
    },
  },
  '/api/tokens': {
    post: secured(undefined, {
      tags: ['tokens'],
      summary: 'Create an API token (for yourself, or for a user with users.manage); the token is shown once',
      requestBody: body(createTokenSchema),
      responses: { '201': json('The token, once', z.looseObject({ id: z.string(), token: z.string() })), ...errors(400, 403, 404) },
    }),
    get: secured(undefined, {
      tags: ['tokens'],
      summary: 'Your tokens (any user’s with users.manage and `userId`), with last use; never the secret',
      requestParams: { query: z.object({ userId: z.uuid().optional() }) },
      responses: { '200': json('Tokens', z.array(z.looseObject({}))), ...errors(400) },
    }),
  },
  '/api/tokens/{id}': {
    delete: secured(undefined, {
      tags: ['tokens'],
      summary: 'Revoke a token (token.revoked): refused from the next request on',
      requestParams: { path: z.object({ id: z.string() }) },
      responses: { '204': { description: 'Revoked' }, '200': json('Revoked'), ...errors(403, 404) },
    }),
  },
};
