import { historyQuerySchema, ingestBodySchema } from '@vigil/shared';
import { z } from 'zod';
import { body, errors, json, secured, type FeaturePaths } from '../common';

export const metricsPaths: FeaturePaths = {
  '/metrics': {
    get: {
      tags: ['metrics'],
      summary: "Prometheus text exposition of Vigil's own metrics",
      description: 'No session; with `auth.scrapeToken` configured it needs that bearer token.',
      security: [{}, { bearer: [] }],
      responses: { '200': { description: 'Text format 0.0.4', content: { 'text/plain': { schema: z.string() } } }, ...errors(401) },
    },
  },
  '/api/metrics/catalog': {
    get: secured(undefined, {
      tags: ['metrics'],
      summary: 'Every source and metric name with history (each name is queryable)',
      responses: {
        '200': json(
          'The catalog',
          z.looseObject({ sources: z.array(z.looseObject({ source: z.string(), metrics: z.array(z.string()) })) }),
        ),
      },
    }),
  },
  '/api/metrics/history': {
    get: secured(undefined, {
      tags: ['metrics'],
      summary: "One metric's history, downsampled",
      requestParams: { query: historyQuerySchema },
      responses: {
        '200': json(
          'Points [time, avg, min, max]',
          z.looseObject({ metric: z.string(), step: z.number(), points: z.array(z.array(z.number())) }),
        ),
        ...errors(400, 404),
      },
    }),
  },
  '/api/metrics/ingest': {
    post: {
      tags: ['metrics'],
      summary: 'Push metric samples (bearer `metrics.ingestToken`; off without one)',
      security: [{ bearer: [] }],
      requestBody: body(ingestBodySchema),
      responses: { '202': json('Accepted'), ...errors(400, 401, 404, 413) },
    },
  },
};
