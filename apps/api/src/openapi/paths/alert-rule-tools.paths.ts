import { alertRuleHistoryQuerySchema, alertRulePreviewSchema, nameSchema } from '@vigil/shared';
import { z } from 'zod';
import { body, errors, json, secured, type FeaturePaths } from '../common';

const firing = z.looseObject({
  source: z.string(),
  environment: z.string().optional(),
  raisedAt: z.string(),
  value: z.number(),
  resolvedAt: z.string().optional(),
});

export const alertRuleToolsPaths: FeaturePaths = {
  '/api/alert-rules/preview': {
    post: secured('alerts.manage', {
      tags: ['alerts'],
      summary: 'Whether and when a draft rule would have fired over the last minutes (nothing is raised)',
      requestBody: body(alertRulePreviewSchema),
      responses: {
        '200': json(
          'The draft judged by the evaluator',
          z.looseObject({ from: z.string(), to: z.string(), samples: z.number(), events: z.number(), firings: z.array(firing) }),
        ),
        ...errors(400),
      },
    }),
  },
  '/api/alert-rules/changes': {
    get: secured(undefined, {
      tags: ['alerts'],
      summary: 'Every run-time change of the rules (of one rule with `name`), with who and when',
      requestParams: { query: alertRuleHistoryQuerySchema },
      responses: { '200': json('Changes in log order', z.looseObject({ changes: z.array(z.looseObject({})) })), ...errors(400) },
    }),
  },
  '/api/notifications/targets': {
    get: secured(undefined, {
      tags: ['notifications'],
      summary: 'The configured notification targets, without URLs or secrets',
      responses: { '200': json('Targets', z.array(z.looseObject({ name: z.string(), type: z.string(), destination: z.string() }))) },
    }),
  },
  '/api/notifications/targets/{name}/test': {
    post: secured('notifications.test', {
      tags: ['notifications'],
      summary: 'Send one test message to the target; the outcome is recorded as notification.tested',
      requestParams: { path: z.object({ name: nameSchema }) },
      responses: {
        '200': json(
          'How the attempt went',
          z.looseObject({ target: z.string(), ok: z.boolean(), error: z.string().optional(), position: z.number() }),
        ),
        ...errors(404),
      },
    }),
  },
};
