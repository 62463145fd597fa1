import { z } from 'zod';

/**
 * Command requests as POSTed to /api/commands. One zod schema per command type;
 * the API validates with them and the web app builds its forms from the same types.
 */

/** Names of environments, services and targets: safe to log, never shell-interpreted. */
export const nameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, "-" or "_"');

const base = {
  environment: nameSchema,
};

export const pingCommandSchema = z.strictObject({
  type: z.literal('ping'),
  target: z.literal('vigil', { error: 'ping only targets "vigil"' }),
  ...base,
  params: z.strictObject({}).default({}),
});

export const COMMAND_TYPES = ['ping'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

export const commandRequestSchema = z.discriminatedUnion('type', [pingCommandSchema], {
  error: (issue): string | undefined =>
    issue.code === 'invalid_union' ? `unknown command type; known types: ${COMMAND_TYPES.join(', ')}` : undefined,
});

export type CommandRequest = z.infer<typeof commandRequestSchema>;

/** What POST /api/commands answers with 202. */
export interface CommandAccepted {
  commandId: string;
  position: number;
}

/** Idempotency-Key header: printable, bounded, so it can be hashed and logged. */
export const idempotencyKeySchema = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
