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

/** Longest series name: a Prometheus name with its labels (values escaped) fits; the catalog never lists a longer one. */
export const MAX_METRIC_NAME_LENGTH = 1024;

/**
 * Metric (series) names as collectors make them: `name` or `name{a="1",b="x \\"y\\""}` with
 * escaped label values, a quoted UTF-8 name included. Any such name the catalog lists is
 * accepted here; only control characters are refused.
 */
export const metricNameSchema = z
  .string()
  .min(1)
  .max(MAX_METRIC_NAME_LENGTH)
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'not a metric name (control characters)');

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
