import { z } from 'zod';
import { nameSchema } from './field-schemas';
import { HISTORY_DURATIONS } from './metrics';

/** Requests of GET /api/metrics/history and POST /api/metrics/ingest. */

/** An ISO-8601 time or epoch milliseconds. */
const instant = z.union([
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
  z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
]);

/** Metric names: what collectors and Prometheus produce, nothing that needs escaping elsewhere. */
export const metricNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:]+(\{[^{}]*\})?$/, 'not a metric name');

/** A source name, or `<source>@<node>` for a cluster node's or an agent host's own machine (`host@web-1`). */
export const metricSourceSchema = z
  .string()
  .min(1)
  .max(127)
  .regex(/^[a-z0-9][a-z0-9_-]*(@[A-Za-z0-9][A-Za-z0-9._-]{0,62})?$/, 'must be a source name, optionally with @<node>');

export const historyQuerySchema = z
  .strictObject({
    metric: metricNameSchema,
    source: metricSourceSchema.default('host'),
    environment: nameSchema.optional(),
    duration: z.enum(HISTORY_DURATIONS, { error: `must be one of ${HISTORY_DURATIONS.join(', ')}` }).optional(),
    from: instant.optional(),
    to: instant.optional(),
    maxPoints: z
      .string()
      .regex(/^\d{1,5}$/, 'must be an integer')
      .transform(Number)
      .pipe(z.number().int().min(1).max(10_000))
      .default(600),
  })
  .superRefine((query, ctx) => {
    if (query.duration !== undefined && (query.from !== undefined || query.to !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['duration'], message: 'give either duration or from/to, not both' });
    }
    if (query.from !== undefined && query.to !== undefined && query.from >= query.to) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must be before to' });
    }
    if (query.duration === undefined && query.from === undefined) {
      ctx.addIssue({ code: 'custom', path: ['duration'], message: `give duration (${HISTORY_DURATIONS.join(', ')}) or from` });
    }
  });

export type MetricsHistoryQuery = z.infer<typeof historyQuerySchema>;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** POST /api/metrics/ingest: samples from outside agents. */
export const ingestBodySchema = z.strictObject({
  samples: z
    .array(
      z.strictObject({
        source: nameSchema,
        environment: nameSchema.optional(),
        time: z.iso.datetime({ offset: true }).optional(),
        values: z.record(metricNameSchema, finite).refine((values) => Object.keys(values).length > 0, 'needs at least one value'),
      }),
    )
    .min(1)
    .max(5000),
});
