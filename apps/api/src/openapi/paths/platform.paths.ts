import { servicesQuerySchema } from '@vigil/shared';
import { z } from 'zod';
import { errors, json, PUBLIC, secured, type FeaturePaths } from '../common';

export const platformPaths: FeaturePaths = {
  '/api/health': {
    get: {
      tags: ['platform'],
      summary: 'Liveness and a few figures (no session)',
      security: PUBLIC,
      responses: {
        '200': json(
          'Healthy',
          z.looseObject({
            status: z.string(),
            uptimeS: z.number(),
            activeClients: z.number(),
            eventLogPosition: z.number(),
            rssBytes: z.number(),
          }),
        ),
      },
    },
  },
  '/api/services': {
    get: secured(undefined, {
      tags: ['platform'],
      summary: 'Configured services with live status',
      requestParams: { query: servicesQuerySchema },
      responses: { '200': json('Services', z.array(z.looseObject({ name: z.string(), environment: z.string() }))), ...errors(400, 404) },
    }),
  },
  '/api/environments': {
    get: secured(undefined, {
      tags: ['platform'],
      summary: 'The environments this user may see',
      responses: { '200': json('Environments', z.array(z.looseObject({}))) },
    }),
  },
  '/api/docs': {
    get: {
      tags: ['platform'],
      summary: 'The interactive reference of this document (Swagger UI)',
      security: PUBLIC,
      responses: { '200': { description: 'HTML page', content: { 'text/html': { schema: z.string() } } } },
    },
  },
  '/api/docs/{file}': {
    get: {
      tags: ['platform'],
      summary: "The reference page's scripts and styles",
      security: PUBLIC,
      requestParams: { path: z.object({ file: z.string() }) },
      responses: { '200': { description: 'The file', content: { '*/*': { schema: z.string() } } }, ...errors(404) },
    },
  },
  '/api/openapi.json': {
    get: { tags: ['platform'], summary: 'This document', security: PUBLIC, responses: { '200': json('OpenAPI 3.1') } },
  },
};
