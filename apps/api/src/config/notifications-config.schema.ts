import { nameSchema, SEVERITIES } from '@vigil/shared';
import { z } from 'zod';

/** The `notifications` key of vigil.config.yaml. Every key has a default: no targets, no routes. */

export const alertSeveritySchema = z.enum(SEVERITIES);

/** Header names a webhook may set (the body is always JSON). */
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'not an HTTP header name');
/** No CR/LF: a header value may not start another header. */
const headerValue = z
  .string()
  .max(4096)
  .regex(/^[^\r\n]*$/, 'header values may not contain line breaks');

export const webhookTargetSchema = z.strictObject({
  type: z.literal('webhook'),
  name: nameSchema,
  url: z.url({ protocol: /^https?$/ }),
  /**
   * `slack`: `{text, blocks}` (Slack, Mattermost, Rocket.Chat incoming webhooks); `json`: `{alerts: [...]}`;
   * `alertmanager`: Alertmanager's webhook body (version 4), which every Alertmanager webhook receiver reads.
   */
  format: z.enum(['slack', 'json', 'alertmanager']).default('json'),
  headers: z.record(headerName, headerValue).optional(),
});

/** A real Alertmanager: alerts are POSTed to `<url>/api/v2/alerts`, re-posted while firing, with `endsAt` on resolve. */
export const alertmanagerTargetSchema = z.strictObject({
  type: z.literal('alertmanager'),
  name: nameSchema,
  /** The Alertmanager's base URL, e.g. `http://alertmanager:9093`. */
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(headerName, headerValue).optional(),
  /** Firing alerts are posted again this often (keep it under Alertmanager's `resolve_timeout`, 5 min by default). */
  repeatSeconds: z.number().min(1).max(3600).default(60),
});

/** An address, optionally with a display name: `ops@example.com` or `Vigil <vigil@example.com>`. */
const mailbox = z
  .string()
  .min(3)
  .max(320)
  .regex(/^[^\r\n]*$/, 'may not contain line breaks')
  .regex(/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'must be an email address');

export const emailTargetSchema = z.strictObject({
  type: z.literal('email'),
  name: nameSchema,
  smtp: z.strictObject({
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65535),
    /** true: TLS from the first byte (port 465). false: plain, upgraded with STARTTLS when offered. */
    secure: z.boolean().default(false),
    /** Refuse to send unless the connection is (or is upgraded to) TLS. */
    requireTLS: z.boolean().default(false),
    auth: z.strictObject({ user: z.string().min(1), pass: z.string().min(1) }).optional(),
  }),
  from: mailbox,
  to: z.array(mailbox).min(1).max(100),
});

export const notificationTargetSchema = z.discriminatedUnion('type', [webhookTargetSchema, emailTargetSchema, alertmanagerTargetSchema]);

/** Environment glob: `*` any run of characters, `?` one character, everything else literal. */
const environmentGlob = z.string().min(1).max(100);

export const notificationRouteSchema = z.strictObject({
  /** Target names; each must be defined under `targets`. */
  targets: z.array(nameSchema).min(1),
  /** Only alerts of these severities (all when omitted). */
  severities: z.array(alertSeveritySchema).min(1).optional(),
  /** Only alerts whose environment matches one of these globs (all when omitted). */
  environments: z.array(environmentGlob).min(1).optional(),
  /** What the route carries: alerts (the default), or approval requests (`command.approval-requested`) of the matching environments. */
  for: z.enum(['alerts', 'approvals']).default('alerts'),
  /** Not acknowledged this long after it fired: the alert goes to these targets too (`notification.escalated`); an ack stops it. */
  escalate: z
    .array(z.strictObject({ afterMinutes: z.number().positive().max(10_080), targets: z.array(nameSchema).min(1) }))
    .min(1)
    .optional(),
});

export const notificationsConfigSchema = z
  .strictObject({
    targets: z.array(notificationTargetSchema).default([]),
    /** Every route an alert matches adds its targets; a target gets each alert once. */
    routes: z.array(notificationRouteSchema).default([]),
    /** Alerts for one target within this window after the first go out as one message. */
    groupWindowSeconds: z.number().min(0).max(3600).default(10),
    retry: z
      .strictObject({
        /** Attempts per message, the first included. */
        attempts: z.number().int().min(1).max(20).default(5),
        /** Wait before the second attempt; doubles each time up to maxBackoffMs. */
        initialBackoffMs: z.number().int().min(10).max(600_000).default(1000),
        maxBackoffMs: z.number().int().min(10).max(600_000).default(60_000),
      })
      .prefault({}),
    /** Where people reach Vigil: Alertmanager's `externalURL` and each alert's `generatorURL` (default http://<host name>:<VIGIL_PORT>). */
    externalUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Limit on each network call (one webhook POST, one SMTP send). */
    timeoutSeconds: z.number().positive().max(120).default(5),
  })
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    config.targets.forEach((target, t) => {
      if (names.has(target.name))
        ctx.addIssue({ code: 'custom', path: ['targets', t, 'name'], message: `target ${target.name} is defined twice` });
      names.add(target.name);
    });
    config.routes.forEach((route, r) => {
      route.targets.forEach((name, t) => {
        if (!names.has(name)) ctx.addIssue({ code: 'custom', path: ['routes', r, 'targets', t], message: `no target named ${name}` });
      });
      route.escalate?.forEach((step, s) => {
        step.targets.forEach((name, t) => {
          if (!names.has(name))
            ctx.addIssue({ code: 'custom', path: ['routes', r, 'escalate', s, 'targets', t], message: `no target named ${name}` });
        });
      });
    });
    if (config.retry.maxBackoffMs < config.retry.initialBackoffMs) {
      ctx.addIssue({ code: 'custom', path: ['retry', 'maxBackoffMs'], message: 'must be at least initialBackoffMs' });
    }
  });

export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;
export type NotificationTarget = z.infer<typeof notificationTargetSchema>;
export type WebhookTarget = z.infer<typeof webhookTargetSchema>;
export type EmailTarget = z.infer<typeof emailTargetSchema>;
export type AlertmanagerTarget = z.infer<typeof alertmanagerTargetSchema>;
export type NotificationRoute = z.infer<typeof notificationRouteSchema>;
