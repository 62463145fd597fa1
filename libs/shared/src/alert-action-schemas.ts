import { z } from 'zod';
import { ALERT_LIST_STATES } from './alerts';
import { SEVERITIES } from './severities';

/** Requests of GET /api/alerts, POST /api/alerts/:id/ack and /silence, POST /api/silences. */

const MAX_SILENCE_MS = 30 * 24 * 3600 * 1000;

/** ISO time in the future, at most 30 days ahead (checked against the clock at parse time). */
const untilSchema = z.iso.datetime({ offset: true }).superRefine((value, ctx) => {
  const t = Date.parse(value);
  const now = Date.now();
  if (t <= now) ctx.addIssue({ code: 'custom', message: 'must be in the future' });
  else if (t - now > MAX_SILENCE_MS) ctx.addIssue({ code: 'custom', message: 'must be at most 30 days ahead' });
});

/** POST /api/alerts/:id/ack */
export const ackBodySchema = z.strictObject({
  comment: z.string().max(1000).default(''),
  /** The acknowledgement lapses after this long (fractions allowed); still firing then, the alert notifies again. */
  expiresMinutes: z
    .number()
    .positive()
    .max(7 * 24 * 60)
    .optional(),
});

/** POST /api/alerts/:id/silence */
export const silenceBodySchema = z.strictObject({ until: untilSchema, reason: z.string().min(1).max(500) });

/** POST /api/silences: silence every alert the matchers match. */
export const matcherSilenceBodySchema = z.strictObject({
  matchers: z
    .strictObject({
      environment: z.string().min(1).max(63).optional(),
      rule: z.string().min(1).max(63).optional(),
      labels: z.record(z.string().min(1).max(64), z.string().max(200)).optional(),
    })
    .refine(
      (m) => m.environment !== undefined || m.rule !== undefined || Object.keys(m.labels ?? {}).length > 0,
      'give at least one matcher',
    ),
  until: untilSchema,
  reason: z.string().min(1).max(500),
});

const MAX_RECURRING_MS = 366 * 24 * 3600 * 1000;

/** POST /api/silences with `schedule`: a recurring maintenance window (the cron itself is checked by the server). */
export const recurringSilenceBodySchema = z.strictObject({
  matchers: matcherSilenceBodySchema.shape.matchers,
  schedule: z.string().trim().min(9).max(100),
  durationMinutes: z
    .number()
    .positive()
    .max(7 * 24 * 60),
  /** When the recurrence ends (default: a year from now, at most that). */
  until: z.iso
    .datetime({ offset: true })
    .refine(
      (value) => Date.parse(value) > Date.now() && Date.parse(value) - Date.now() <= MAX_RECURRING_MS,
      'must be in the future, at most a year ahead',
    )
    .optional(),
  reason: z.string().min(1).max(500),
});

const isoTime = z.iso.datetime({ offset: true });

/** GET /api/alerts */
export const alertListQuerySchema = z.strictObject({
  state: z.enum(ALERT_LIST_STATES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  environment: z.string().min(1).max(63).optional(),
  rule: z.string().min(1).max(63).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
