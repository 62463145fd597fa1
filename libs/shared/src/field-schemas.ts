import { z } from 'zod';

/** Zod schemas for the fields many requests share. Zod is server-side only: the web app imports nothing from here. */

/** Names of environments, services and targets: safe to log, never shell-interpreted. */
export const nameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, "-" or "_"');

/** The id in a path such as /api/alerts/:id, /api/commands/:id, /api/users/:id. */
export const idSchema = z.uuid();

/** An ISO-8601 date-time a client names a moment with (a replay window's ends, `?at=`). */
export const isoInstantSchema = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time, e.g. 2026-11-27T03:00:00.000Z' });

/** GET /api/services */
export const servicesQuerySchema = z.strictObject({ environment: nameSchema.optional() });
