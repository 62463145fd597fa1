import { z } from 'zod';
import { alertRuleListSchema } from '@vigil/shared';

/**
 * What one line of an incident bundle (IncidentBundleLine in libs/shared) must
 * look like. Events, samples and alert rules are checked field by field (rules
 * with the schema the API takes them with); the snapshot's state only at its top
 * level (it is whatever evolveDashboard produced).
 */
const time = z.iso.datetime();
const count = z.number().int().min(0);

export const bundleHeaderSchema = z.strictObject({
  kind: z.literal('header'),
  format: z.literal('vigil-incident'),
  version: z.literal(1),
  from: time,
  to: time,
  createdAt: time,
  events: count,
  samples: count,
});

export const storedEventSchema = z.strictObject({
  position: z.number().int().min(1),
  stream: z.string().min(1),
  version: z.number().int().min(1),
  type: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
  meta: z.looseObject({ correlationId: z.string(), environment: z.string().optional() }),
  time,
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest'),
});

export const metricSampleSchema = z.strictObject({
  environment: z.string().min(1).optional(),
  source: z.string().min(1),
  /** The agent host that took it (samples of other machines). */
  host: z.string().min(1).optional(),
  time,
  values: z.record(z.string(), z.number()),
  error: z.string().optional(),
});

const dashboardStateSchema = z.looseObject({
  position: count,
  commands: z.array(z.unknown()),
  recentEvents: z.array(z.unknown()),
  metrics: z.record(z.string(), z.unknown()),
  services: z.record(z.string(), z.unknown()),
  alerts: z.array(z.unknown()),
});

export const bundleLineSchema = z.discriminatedUnion('kind', [
  bundleHeaderSchema,
  z.strictObject({ kind: z.literal('snapshot'), position: count, state: dashboardStateSchema }),
  z.strictObject({
    kind: z.literal('alert-rules'),
    rules: alertRuleListSchema,
    timeline: z
      .array(z.strictObject({ at: time, rules: alertRuleListSchema }))
      .min(1)
      .optional(),
  }),
  z.strictObject({
    kind: z.literal('incident'),
    incidentId: z.uuid(),
    events: z.array(storedEventSchema).min(1),
    openStreams: z.array(storedEventSchema),
    head: z.strictObject({ position: count, hash: z.string().regex(/^([0-9a-f]{64})?$/) }),
  }),
  z.strictObject({ kind: z.literal('event'), event: storedEventSchema }),
  z.strictObject({ kind: z.literal('metrics'), sample: metricSampleSchema }),
]);
