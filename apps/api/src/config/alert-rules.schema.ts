import { nameSchema, type AlertRule } from '@vigil/shared';
import { z } from 'zod';

/** `*`, `prefix*` or an exact name (the same globs roles use). */
const glob = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^*]*\*?$/, 'only a trailing "*" is allowed');

const base = {
  name: nameSchema,
  severity: z.enum(['info', 'warning', 'error', 'critical']).default('warning'),
  labels: z
    .record(
      z
        .string()
        .min(1)
        .max(64)
        .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'not a label name'),
      z.string().max(200),
    )
    .default({}),
  message: z.string().min(1).max(500).default('{{rule}}: {{metric}} is {{value}} on {{source}} (threshold {{threshold}})'),
};

export const thresholdRuleSchema = z
  .strictObject({
    ...base,
    kind: z.literal('threshold'),
    metric: z.string().min(1).max(200),
    source: glob.default('*'),
    environment: glob.default('*'),
    comparator: z.enum(['>', '>=', '<', '<=']),
    threshold: z.number(),
    forSeconds: z.number().min(0).max(86_400).default(0),
    clearThreshold: z.number().optional(),
    keepFiringForSeconds: z.number().min(0).max(86_400).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.clearThreshold === undefined) return;
    const above = rule.comparator === '>' || rule.comparator === '>=';
    if (above ? rule.clearThreshold > rule.threshold : rule.clearThreshold < rule.threshold) {
      ctx.addIssue({
        code: 'custom',
        path: ['clearThreshold'],
        message: `must be ${above ? 'at or below' : 'at or above'} threshold (${rule.threshold}) for comparator ${rule.comparator}`,
      });
    }
  });

export const absentRuleSchema = z.strictObject({
  ...base,
  kind: z.literal('absent'),
  source: glob.default('*'),
  environment: glob.default('*'),
  seconds: z.number().positive().max(86_400),
  message: base.message.unwrap().default('{{rule}}: no sample from {{source}} for {{value}} s'),
});

export const serviceRuleSchema = z.strictObject({
  ...base,
  kind: z.literal('service'),
  service: glob.default('*'),
  environment: glob.default('*'),
  trigger: z.enum(['crash', 'restart-loop']).default('crash'),
  restarts: z.number().int().min(1).max(1000).default(3),
  withinMinutes: z.number().positive().max(1440).default(5),
  message: base.message.unwrap().default('{{rule}}: {{source}} in {{environment}} ({{metric}} {{value}})'),
});

export const alertRuleSchema = z.discriminatedUnion('kind', [thresholdRuleSchema, absentRuleSchema, serviceRuleSchema]);

/** The rule type the schema produces is the shared AlertRule. */
type Assert<T extends AlertRule> = T;
export type ParsedAlertRule = Assert<z.infer<typeof alertRuleSchema>>;

/** A rule set (the config's, an incident bundle's): names are keys. */
export const alertRuleListSchema = z
  .array(alertRuleSchema)
  .refine((rules) => new Set(rules.map((rule) => rule.name)).size === rules.length, 'rule names must be unique');

export const alertsConfigSchema = z
  .strictObject({
    /** The starting set; rules changed over the API fold over it from the log. */
    rules: alertRuleListSchema.default([]),
    /** How often `absent` rules and restart windows are checked. */
    checkIntervalSeconds: z.number().positive().max(300).default(5),
  })
  .prefault({});

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
