import {
  ackBodySchema,
  alertListQuerySchema,
  alertRuleSchema,
  alertRulesQuerySchema,
  matcherSilenceBodySchema,
  silenceBodySchema,
} from '@vigil/shared';
import { z } from 'zod';
import { body, errors, json, secured, type FeaturePaths } from '../common';

const alertId = { path: z.object({ id: z.string() }) };
const ruleName = { path: z.object({ name: z.string() }) };

export const alertsPaths: FeaturePaths = {
  '/api/alerts': {
    get: secured(undefined, {
      tags: ['alerts'],
      summary: 'Alerts (firing first)',
      requestParams: { query: alertListQuerySchema },
      responses: { '200': json('Alerts'), ...errors(400) },
    }),
  },
  '/api/alerts/{id}': {
    get: secured(undefined, {
      tags: ['alerts'],
      summary: 'One alert',
      requestParams: alertId,
      responses: { '200': json('The alert'), ...errors(404) },
    }),
  },
  '/api/alerts/{id}/ack': {
    post: secured('alerts.ack', {
      tags: ['alerts'],
      summary: 'Acknowledge',
      requestParams: alertId,
      requestBody: body(ackBodySchema),
      responses: { '200': json('Acknowledged'), ...errors(400, 404, 409) },
    }),
  },
  '/api/alerts/{id}/silence': {
    post: secured('alerts.ack', {
      tags: ['alerts'],
      summary: 'Silence until a time',
      requestParams: alertId,
      requestBody: body(silenceBodySchema),
      responses: { '200': json('Silenced'), ...errors(400, 404) },
    }),
  },
  '/api/silences': {
    get: secured(undefined, { tags: ['alerts'], summary: 'Active silences', responses: { '200': json('Silences') } }),
    post: secured('alerts.ack', {
      tags: ['alerts'],
      summary: 'Silence by matchers',
      requestBody: body(matcherSilenceBodySchema),
      responses: { '201': json('Created'), ...errors(400) },
    }),
  },
  '/api/alert-rules': {
    get: secured(undefined, {
      tags: ['alert rules'],
      summary: 'The rules in force (now, or `at` a time)',
      requestParams: { query: alertRulesQuerySchema },
      responses: { '200': json('Rules'), ...errors(400) },
    }),
    post: secured('alerts.manage', {
      tags: ['alert rules'],
      summary: 'Add a rule',
      requestBody: body(alertRuleSchema),
      responses: { '201': json('Added'), ...errors(400, 409) },
    }),
  },
  '/api/alert-rules/{name}': {
    put: secured('alerts.manage', {
      tags: ['alert rules'],
      summary: 'Replace a rule',
      requestParams: ruleName,
      requestBody: body(alertRuleSchema),
      responses: { '200': json('Replaced'), ...errors(400, 404) },
    }),
    delete: secured('alerts.manage', {
      tags: ['alert rules'],
      summary: 'Delete a rule',
      requestParams: ruleName,
      responses: { '200': json('Deleted'), ...errors(400, 404) },
    }),
  },
};
