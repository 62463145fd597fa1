import { auditExportQuerySchema, auditListQuerySchema } from '@vigil/shared';
import { z } from 'zod';
import { errors, json, secured, type FeaturePaths } from '../common';

export const auditPaths: FeaturePaths = {
  '/api/audit': {
    get: secured('audit.read', {
      tags: ['audit'],
      summary: 'The audit trail, newest first, paged by cursor',
      requestParams: { query: auditListQuerySchema },
      responses: { '200': json('A page'), ...errors(400) },
    }),
  },
  '/api/audit/export': {
    get: secured('audit.read', {
      tags: ['audit'],
      summary: 'The whole (filtered) trail as NDJSON or CSV, streamed',
      requestParams: { query: auditExportQuerySchema },
      responses: {
        '200': {
          description: 'The export',
          content: { 'application/x-ndjson': { schema: z.string() }, 'text/csv': { schema: z.string() } },
        },
        ...errors(400),
      },
    }),
  },
  '/api/audit/verify': {
    get: secured('audit.read', {
      tags: ['audit'],
      summary: "Recompute the log's hash chain",
      responses: { '200': json('The result', z.looseObject({ ok: z.boolean(), checked: z.number() })) },
    }),
  },
};
