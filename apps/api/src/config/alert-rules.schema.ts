import { alertRuleListSchema } from '@vigil/shared';
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
  })
  .prefault({});

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
