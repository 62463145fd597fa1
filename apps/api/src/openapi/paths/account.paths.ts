import { changePasswordSchema } from '@vigil/shared';
import { z } from 'zod';
import { body, errors, json, secured, type FeaturePaths } from '../common';

const accountSession = z.object({
  id: z.string(),
  since: z.string(),
  expiresAt: z.string(),
  ip: z.string().optional(),
  current: z.boolean(),
});

export const accountPaths: FeaturePaths = {
  '/api/account/sessions': {
    get: secured(undefined, {
      tags: ['account'],
      summary: "The caller's own open sessions, newest first",
      responses: { '200': json('Open sessions', z.object({ sessions: z.array(accountSession) })) },
    }),
  },
  '/api/account/sign-out-everywhere': {
    post: secured(undefined, {
      tags: ['account'],
      summary: 'End every session of the caller, this one too (one user.logged-out each)',
      responses: { '204': { description: 'Signed out everywhere; the cookies are cleared' } },
    }),
  },
  '/api/account/password': {
    post: secured(undefined, {
      tags: ['account'],
      summary: 'Change the own password (the current one required); every session ends',
      requestBody: body(changePasswordSchema),
      responses: { '204': { description: 'Changed; the cookies are cleared' }, ...errors(400) },
    }),
  },
  '/api/users/roles': {
    get: secured('users.manage', {
      tags: ['users'],
      summary: 'The configured roles and what each grants',
      responses: { '200': json('Roles', z.array(z.looseObject({ name: z.string(), description: z.string().optional() }))) },
    }),
  },
};
