import { DEFAULT_ROLES, nameSchema, roleSchema } from '@vigil/shared';
import { isIP } from 'node:net';
import { z } from 'zod';
import { alertsConfigSchema } from './alert-rules.schema';
import { approvalsConfigSchema } from './approvals-config.schema';
import { notificationsConfigSchema } from './notifications-config.schema';
import { breakGlassUsersSchema, oidcConfigSchema, passwordLoginSchema } from './oidc-config.schema';

/** vigil.config.yaml. Every key has a default, so an empty file is a valid config. */
/** A URL template: `{port}` is replaced by the instance's port. */
const urlTemplate = z
  .string()
  .regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL')
  .refine((url) => !/\{(?!port\})/.test(url), 'the only placeholder is {port}');

/** An executable and its arguments: run with spawn(), never through a shell. */
const programSchema = {
  /** `node` means the Node.js running Vigil. */
  command: z.string().min(1).max(500),
  args: z.array(z.string().max(1000)).max(100).default([]),
};

export const serviceConfigSchema = z
  .strictObject({
    name: nameSchema,
    /** The cluster node that supervises it and runs its commands; without it, the leader. */
    host: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be a node name (VIGIL_NODE_NAME)')
      .optional(),
    ...programSchema,
    /** Working directory, relative to the directory Vigil runs in. */
    cwd: z.string().min(1).default('.'),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not an environment variable name'), z.string()).default({}),
    instances: z.number().int().min(0).max(64).default(1),
    maxInstances: z.number().int().min(1).max(64).default(4),
    /** Instance i listens on ports.from + i (passed as PORT). */
    ports: z.strictObject({ from: z.number().int().min(1024).max(65535), to: z.number().int().min(1024).max(65535) }).optional(),
    healthUrl: urlTemplate.optional(),
    metricsUrl: urlTemplate.optional(),
    metricsIntervalSeconds: z.number().positive().max(3600).default(5),
    restart: z
      .strictObject({
        policy: z.enum(['always', 'on-failure', 'never']).default('on-failure'),
        initialBackoffMs: z.number().int().min(50).max(60_000).default(500),
        maxBackoffMs: z.number().int().min(100).max(600_000).default(30_000),
      })
      .prefault({}),
    stopGraceSeconds: z.number().positive().max(300).default(5),
    startTimeoutSeconds: z.number().positive().max(600).default(20),
    deploy: z
      .strictObject({
        ...programSchema,
        timeoutSeconds: z.number().positive().max(3600).default(300),
      })
      .optional(),
  })
  .superRefine((service, ctx) => {
    if (service.instances > service.maxInstances) {
      ctx.addIssue({ code: 'custom', path: ['instances'], message: `must not exceed maxInstances (${service.maxInstances})` });
    }
    if (service.ports) {
      const room = service.ports.to - service.ports.from + 1;
      if (room < service.maxInstances) {
        ctx.addIssue({
          code: 'custom',
          path: ['ports'],
          message: `range holds ${room} port(s); maxInstances needs ${service.maxInstances}: widen ports.to or lower maxInstances`,
        });
      }
    }
    if ((service.healthUrl?.includes('{port}') || service.metricsUrl?.includes('{port}')) && !service.ports) {
      ctx.addIssue({ code: 'custom', path: ['ports'], message: 'healthUrl/metricsUrl use {port}: give the service a ports range' });
    }
  });

export type ServiceConfig = z.infer<typeof serviceConfigSchema>;

export const environmentConfigSchema = z.strictObject({
  name: nameSchema,
  label: z.string().min(1).max(80).optional(),
  services: z
    .array(serviceConfigSchema)
    .default([])
    .refine(
      (list) => new Set(list.map((service) => service.name)).size === list.length,
      'service names must be unique within an environment',
    ),
});

export const streamConfigSchema = z.strictObject({
  /** Comment line sent to every stream this often: proxies drop quiet connections. */
  heartbeatSeconds: z.number().positive().max(300).default(15),
  /** The SSE `retry:` hint, in milliseconds. */
  retryMs: z.number().int().min(100).max(60_000).default(3000),
  /** A client whose unsent bytes exceed this is disconnected (it resumes with Last-Event-ID). */
  maxBufferedKiB: z.number().int().min(16).max(65_536).default(1024),
});

/** Express's names for address ranges, or one IP, or a CIDR. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
function isProxyAddress(text: string): boolean {
  if (PROXY_RANGE_NAMES.includes(text)) return true;
  const parts = text.split('/');
  const version = isIP(parts[0]);
  if (parts.length > 2 || version === 0) return false;
  return parts.length === 1 || (/^\d{1,3}$/.test(parts[1]) && Number(parts[1]) <= (version === 4 ? 32 : 128));
}

export const httpConfigSchema = z.strictObject({
  bodyLimitKiB: z.number().int().min(1).max(10_240).default(64),
  /**
   * The proxies whose X-Forwarded-For is believed (Express's `trust proxy`). None by
   * default: otherwise anything reaching Vigil through them picks its own client IP,
   * for the login throttle and the audit trail.
   */
  trustProxy: z
    .array(z.string().trim().refine(isProxyAddress, 'loopback, linklocal, uniquelocal, an IP address or a CIDR such as 10.0.0.0/8'))
    .max(100)
    .default([]),
});

const seconds = (fallback: number, max = 3600) => z.number().positive().max(max).default(fallback);

/** Header names and values a scrape may send (no CR/LF: a value may not start another header). */
const scrapeHeaderName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'not an HTTP header name');
const scrapeHeaderValue = z
  .string()
  .max(8192)
  .regex(/^[^\r\n]*$/, 'header values may not contain line breaks');
/** `*` any run of characters, `?` one: matched against metric family names. */
const metricGlob = z.string().min(1).max(200);

export const scrapeTargetSchema = z
  .strictObject({
    /** The metrics source name, e.g. the service it belongs to. */
    source: nameSchema,
    environment: nameSchema.optional(),
    url: z.url({ protocol: /^https?$/ }),
    intervalSeconds: seconds(5),
    /** Limit on one scrape (default: the interval, at most collectorTimeoutSeconds). */
    timeoutSeconds: z.number().positive().max(300).optional(),
    headers: z.record(scrapeHeaderName, scrapeHeaderValue).optional(),
    /** `Authorization: Bearer …` (e.g. another Vigil's `auth.scrapeToken`), or read from a file at each scrape. */
    bearerToken: z.string().min(1).max(8192).optional(),
    bearerTokenFile: z.string().min(1).optional(),
    basicAuth: z
      .strictObject({ username: z.string().min(1), password: z.string().optional(), passwordFile: z.string().min(1).optional() })
      .optional(),
    tls: z
      .strictObject({
        /** PEM text, or a file, of the CA(s) to trust instead of the system's. */
        ca: z.string().min(1).optional(),
        caFile: z.string().min(1).optional(),
        /** Accept any certificate: the connection is encrypted but the server is not verified. */
        insecureSkipVerify: z.boolean().default(false),
      })
      .optional(),
    /** Keep only families matching `allow` (all when omitted), then drop those matching `deny`. */
    metrics: z.strictObject({ allow: z.array(metricGlob).min(1).optional(), deny: z.array(metricGlob).min(1).optional() }).optional(),
    /** A scrape with more series fails with the reason (nothing is stored), rather than being cut short. */
    seriesLimit: z.number().int().min(1).max(1_000_000).default(10_000),
  })
  .superRefine((target, ctx) => {
    const auths = [target.bearerToken, target.bearerTokenFile, target.basicAuth].filter((given) => given !== undefined).length;
    if (auths > 1) ctx.addIssue({ code: 'custom', path: ['bearerToken'], message: 'give one of bearerToken, bearerTokenFile, basicAuth' });
    if (target.basicAuth?.password !== undefined && target.basicAuth.passwordFile !== undefined)
      ctx.addIssue({ code: 'custom', path: ['basicAuth', 'passwordFile'], message: 'give password or passwordFile, not both' });
    if (target.tls?.ca !== undefined && target.tls.caFile !== undefined)
      ctx.addIssue({ code: 'custom', path: ['tls', 'caFile'], message: 'give ca or caFile, not both' });
  });

export type ScrapeTargetConfig = z.infer<typeof scrapeTargetSchema>;

export const metricsConfigSchema = z.strictObject({
  host: z.strictObject({ intervalSeconds: seconds(1), storageIntervalSeconds: seconds(10) }).prefault({}),
  vigil: z.strictObject({ intervalSeconds: seconds(1) }).prefault({}),
  /** A collection that takes longer than this (or its interval) is reported as failed. */
  collectorTimeoutSeconds: seconds(5, 60),
  scrape: z.array(scrapeTargetSchema).default([]),
  /** Bearer token for POST /api/metrics/ingest; without one the endpoint is off. */
  ingestToken: z.string().min(16, 'use at least 16 characters').optional(),
  retention: z
    .strictObject({
      rawHours: z
        .number()
        .positive()
        .max(24 * 31)
        .default(24),
      minuteDays: z.number().positive().max(366).default(30),
      hourDays: z.number().positive().max(3660).default(365),
    })
    .prefault({}),
});

export const authConfigSchema = z.strictObject({
  /** Session (JWT) lifetime. */
  tokenHours: z
    .number()
    .positive()
    .max(24 * 30)
    .default(8),
  /** Open streams per user; one more closes the oldest. */
  maxStreamsPerUser: z.number().int().min(1).max(100000).default(5),
  /** Login attempts per minute for one IP and username before 429. */
  loginAttemptsPerMinute: z.number().int().min(1).max(1000).default(5),
  /** Bearer token for GET /metrics; without one /metrics needs no token. */
  scrapeToken: z.string().min(16, 'use at least 16 characters').optional(),
  /** OpenID Connect sign-in ("Sign in with <label>" on the login page). */
  oidc: oidcConfigSchema.optional(),
  /** `break-glass`: password sign-in only for `breakGlassUsers` (needs `oidc`). */
  passwordLogin: passwordLoginSchema,
  breakGlassUsers: breakGlassUsersSchema,
});

export const replayConfigSchema = z.strictObject({
  /** A dashboard-state checkpoint every this many events: a snapshot at any time folds at most this many. */
  checkpointEvery: z.number().int().min(100).max(1_000_000).default(2000),
  /** Longest window one replay or markers request may cover. */
  maxWindowHours: z
    .number()
    .positive()
    .max(24 * 366)
    .default(24 * 7),
});

export const vigilConfigSchema = z
  .strictObject({
    environments: z
      .array(environmentConfigSchema)
      .min(1)
      .prefault([{ name: 'production' }, { name: 'staging' }])
      .refine((list) => new Set(list.map((env) => env.name)).size === list.length, 'environment names must be unique')
      .superRefine((list, ctx) => {
        // Two services may not claim the same port.
        const owners = new Map<number, string>();
        list.forEach((env, e) => {
          env.services.forEach((service, s) => {
            if (!service.ports) return;
            for (let port = service.ports.from; port <= service.ports.to; port++) {
              const owner = owners.get(port);
              if (owner) {
                ctx.addIssue({ code: 'custom', path: [e, 'services', s, 'ports'], message: `port ${port} is also used by ${owner}` });
                return;
              }
              owners.set(port, `${service.name}@${env.name}`);
            }
          });
        });
      }),
    stream: streamConfigSchema.prefault({}),
    http: httpConfigSchema.prefault({}),
    metrics: metricsConfigSchema.prefault({}),
    /** Role name → what it grants. Replaces the defaults (viewer, operator, admin) when given. */
    roles: z
      .record(nameSchema, roleSchema)
      .prefault(DEFAULT_ROLES)
      .refine((roles) => Object.keys(roles).length > 0, 'define at least one role'),
    auth: authConfigSchema.prefault({}),
    replay: replayConfigSchema.prefault({}),
    alerts: alertsConfigSchema,
    /** Where alerts are delivered (webhooks, email) and how they are grouped and retried. */
    notifications: notificationsConfigSchema.prefault({}),
    /** Commands that wait for a second person's approval. */
    approvals: approvalsConfigSchema,
  })
  .superRefine((config, ctx) => {
    config.approvals.forEach((rule, r) => {
      rule.approvers.forEach((role, a) => {
        if (!(role in config.roles)) ctx.addIssue({ code: 'custom', path: ['approvals', r, 'approvers', a], message: `no role "${role}"` });
      });
    });
    // SSO roles must be configured roles; break-glass only makes sense beside SSO.
    const oidc = config.auth.oidc;
    const known = (role: string): boolean => Object.hasOwn(config.roles, role);
    for (const [group, role] of Object.entries(oidc?.roleMap ?? {})) {
      if (!known(role)) ctx.addIssue({ code: 'custom', path: ['auth', 'oidc', 'roleMap', group], message: `unknown role "${role}"` });
    }
    if (oidc?.defaultRole !== undefined && !known(oidc.defaultRole)) {
      ctx.addIssue({ code: 'custom', path: ['auth', 'oidc', 'defaultRole'], message: `unknown role "${oidc.defaultRole}"` });
    }
    if (config.auth.passwordLogin === 'break-glass' && !oidc) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth', 'passwordLogin'],
        message: 'break-glass needs auth.oidc (otherwise nobody else could sign in)',
      });
    }
  });

export type VigilConfig = z.infer<typeof vigilConfigSchema>;
