import { z } from 'zod';
import { nameSchema } from './field-schemas';
import { metricNameSchema } from './metrics-schemas';

/** Requests of the hosts API and of the agent protocol (POST /api/agent/*). */

const labelsSchema = z
  .record(z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'label keys: lowercase letters, digits, ".", "_", "-"'), z.string().max(200))
  .refine((labels) => Object.keys(labels).length <= 20, 'at most 20 labels')
  .default({});

/** POST /api/hosts */
export const enrolHostSchema = z.strictObject({ name: nameSchema, labels: labelsSchema });

/** The host name of a path (/api/hosts/:name). */
export const hostNameSchema = nameSchema;

const agentVersionSchema = z.string().min(1).max(40);

/**
 * POST /api/agent/hello: what the agent runs. Each service definition is checked by the
 * server against the same schema as vigil.config.yaml's (`services` items), so the
 * definitions are `unknown` here.
 */
export const agentHelloSchema = z.strictObject({
  agentVersion: agentVersionSchema,
  environments: z
    .array(z.strictObject({ name: nameSchema, services: z.array(z.unknown()).max(100) }))
    .max(50)
    .default([]),
});

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const isoTime = z.iso.datetime({ offset: true });

/** One sample as the agent took it: host-wide (no environment) or of one of its services. */
export const agentSampleSchema = z.strictObject({
  source: nameSchema,
  environment: nameSchema.optional(),
  time: isoTime,
  values: z.record(metricNameSchema, finite).refine((values) => Object.keys(values).length <= 1000, 'at most 1000 values'),
  error: z.string().max(500).optional(),
  units: z.record(metricNameSchema, z.strictObject({ unit: z.string().max(20), kind: z.enum(['gauge', 'rate']) })).optional(),
});

/** POST /api/agent/metrics: a batch, every second (older ones back-filled after a disconnection). */
export const agentMetricsSchema = z.strictObject({
  samples: z.array(agentSampleSchema).max(5000),
  /** Samples the agent's bounded buffer dropped (oldest first) since it last reported. */
  dropped: z.number().int().min(0).default(0),
});

/** POST /api/agent/events: service.* events of the host's own services. */
export const agentServiceEventsSchema = z.strictObject({
  events: z
    .array(
      z.strictObject({
        type: z.enum(['service.started', 'service.stopped', 'service.exited', 'service.scaled', 'service.deployed']),
        data: z.looseObject({ service: nameSchema, environment: nameSchema }),
        correlationId: z.string().min(1).max(100),
        causationId: z.string().max(100).optional(),
        time: isoTime.optional(),
      }),
    )
    .min(1)
    .max(500),
});

/** POST /api/agent/commands/:id/start: the claim, at the version the agent saw `command.accepted` at. */
export const agentClaimSchema = z.strictObject({ version: z.number().int().min(1) });

/** POST /api/agent/commands/:id/events: output, progress and the outcome, appended at `expectedVersion`. */
export const agentCommandEventsSchema = z.strictObject({
  expectedVersion: z.number().int().min(1),
  events: z
    .array(
      z.strictObject({
        type: z.enum([
          'command.output',
          'command.progress',
          'command.completed',
          'command.failed',
          'command.cancelled',
          'command.interrupted',
        ]),
        data: z.looseObject({ commandId: z.uuid() }),
      }),
    )
    .min(1)
    .max(200),
});
