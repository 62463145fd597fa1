import { alertRuleListSchema } from '@vigil/shared';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

const labelMatchers = z.record(z.string().min(1).max(64), z.string().min(1).max(200));

/** One inhibition (Alertmanager's model): while a `source` alert fires, `target` alerts with equal `equal` labels are not notified. */
export const inhibitRuleSchema = z.strictObject({
  name: z.string().min(1).max(63).optional(),
  source: labelMatchers,
  target: labelMatchers.default({}),
  equal: z.array(z.string().min(1).max(64)).default([]),
});
export type InhibitRule = z.infer<typeof inhibitRuleSchema>;

/** A recurring maintenance window: alerts matching `matchers` are silenced from each cron occurrence (UTC) for `durationMinutes`. */
export const recurringSilenceSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
  schedule: z.string().superRefine((cron, ctx) => {
    if (cron.trim().split(/\s+/).length !== 5) {
      ctx.addIssue({ code: 'custom', message: 'give five cron fields: minute hour day-of-month month day-of-week' });
      return;
    }
    try {
      CronExpressionParser.parse(cron, { tz: 'UTC' });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not a cron schedule: ${error instanceof Error ? error.message : String(error)}` });
    }
  }),
  durationMinutes: z
    .number()
    .positive()
    .max(7 * 24 * 60),
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
  reason: z.string().min(1).max(500),
});

/** The `alerts:` section of vigil.config.yaml (the rule schemas are in @vigil/shared, as the HTTP API takes them). */
export const alertsConfigSchema = z
  .strictObject({
    /** The starting set; rules changed over the API fold over it from the log. */
    rules: alertRuleListSchema.default([]),
    /** How often `absent` rules and restart windows are checked. */
    checkIntervalSeconds: z.number().positive().max(300).default(5),
    /** Inhibitions, in addition to the defaults (host offline, service crash) unless `defaultInhibitions: false`. */
    inhibit: z.array(inhibitRuleSchema).default([]),
    defaultInhibitions: z.boolean().default(true),
    /** Recurring maintenance windows (the API adds more: POST /api/silences with `schedule`). */
    silences: z.array(recurringSilenceSchema).default([]),
  })
  .prefault({});

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
