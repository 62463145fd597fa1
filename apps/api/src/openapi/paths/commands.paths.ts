import { commandRequestSchema } from '@vigil/shared';
import { z } from 'zod';
import { body, errors, json, secured, type FeaturePaths } from '../common';

export const commandsPaths: FeaturePaths = {
  '/api/commands': {
    post: secured(undefined, {
      tags: ['commands'],
      summary: 'Submit a command; 202 once `command.accepted` is committed',
      description: 'The role must grant the command type in that environment (else 403 and a `command.denied` event).',
      requestParams: { header: z.object({ 'idempotency-key': z.string().optional() }) },
      requestBody: body(commandRequestSchema),
      responses: {
        '202': json('Accepted', z.looseObject({ commandId: z.string(), position: z.number().int() })),
        ...errors(400, 403, 404, 409, 413, 429, 503),
      },
    }),
  },
  '/api/commands/{id}': {
    get: secured(undefined, {
      tags: ['commands'],
      summary: "A command's state and output so far",
      requestParams: { path: z.object({ id: z.string() }) },
      responses: { '200': json('The command'), ...errors(404) },
    }),
  },
};
