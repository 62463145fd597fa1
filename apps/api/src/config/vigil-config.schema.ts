import { nameSchema } from '@vigil/shared';
import { z } from 'zod';

/** vigil.config.yaml. Every key has a default, so an empty file is a valid config. */
export const environmentConfigSchema = z.strictObject({
  name: nameSchema,
  label: z.string().min(1).max(80).optional(),
});

export const streamConfigSchema = z.strictObject({
  /** Comment line sent to every stream this often: proxies drop quiet connections. */
  heartbeatSeconds: z.number().positive().max(300).default(15),
  /** The SSE `retry:` hint, in milliseconds. */
  retryMs: z.number().int().min(100).max(60_000).default(3000),
  /** A client whose unsent bytes exceed this is disconnected (it resumes with Last-Event-ID). */
  maxBufferedKiB: z.number().int().min(16).max(65_536).default(1024),
});

export const httpConfigSchema = z.strictObject({
  bodyLimitKiB: z.number().int().min(1).max(10_240).default(64),
});

export const vigilConfigSchema = z.strictObject({
  environments: z
    .array(environmentConfigSchema)
    .min(1)
    .default([{ name: 'production' }, { name: 'staging' }])
    .refine((list) => new Set(list.map((env) => env.name)).size === list.length, 'environment names must be unique'),
  stream: streamConfigSchema.default(() => streamConfigSchema.parse({})),
  http: httpConfigSchema.default(() => httpConfigSchema.parse({})),
});

export type VigilConfig = z.infer<typeof vigilConfigSchema>;
