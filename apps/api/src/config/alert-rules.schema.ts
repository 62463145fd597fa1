import { alertRuleListSchema } from '@vigil/shared';
import { z } from 'zod';

/** The `alerts:` section of vigil.config.yaml (the rule schemas are in @vigil/shared, as the HTTP API takes them). */
export const alertsConfigSchema = z
  .strictObject({
    /** The starting set; rules changed over the API fold over it from the log. */
    rules: alertRuleListSchema.default([]),
    /** How often `absent` rules and restart windows are checked. */
    checkIntervalSeconds: z.number().positive().max(300).default(5),
  })
  .prefault({});

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
