import { createUserSchema, loginRequestSchema, updateUserSchema } from '@vigil/shared';
import { z } from 'zod';
import { body, errors, json, PUBLIC, secured, type FeaturePaths } from '../common';

const sessionUser = z.looseObject({ id: z.string(), username: z.string(), role: z.string(), capabilities: z.array(z.string()) });

export const authPaths: FeaturePaths = {
  '/api/auth/login': {
    post: {
      tags: ['auth'],
      summary: 'Sign in: a bearer token, and the session and CSRF cookies',
      security: PUBLIC,
      requestBody: body(loginRequestSchema),
      responses: {
        '200': json(
          'Signed in',
          z.object({ accessToken: z.string(), csrfToken: z.string(), expiresAt: z.string(), user: sessionUser }).loose(),
        ),
        ...errors(400, 401, 429),
      },
    },
  },
  '/api/auth/logout': {
    post: secured(undefined, {
      tags: ['auth'],
      summary: 'End this session (revokes its token, clears the cookies)',
      responses: { '204': { description: 'Signed out' } },
    }),
  },
  '/api/auth/me': {
    get: secured(undefined, {
      tags: ['auth'],
      summary: 'The signed-in user and session',
      responses: { '200': json('The session', z.looseObject({ user: sessionUser })) },
    }),
  },
  '/api/users': {
    get: secured('users.manage', {
      tags: ['users'],
      summary: 'Every user',
      responses: { '200': json('Users', z.array(z.looseObject({}))) },
    }),
    post: secured('users.manage', {
      tags: ['users'],
      summary: 'Create a user',
      requestBody: body(createUserSchema),
      responses: { '201': json('Created'), ...errors(400, 409) },
    }),
  },
  '/api/users/{id}': {
    patch: secured('users.manage', {
      tags: ['users'],
      summary: "Change a user's role, password or status",
      requestParams: { path: z.object({ id: z.string() }) },
      requestBody: body(updateUserSchema),
      responses: { '200': json('Updated'), ...errors(400, 404, 409) },
    }),
  },
};
