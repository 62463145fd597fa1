import { z } from 'zod';
import { nameSchema } from './field-schemas';
import { MAX_INSTANCES, MAX_VERSION_LENGTH, MIN_INSTANCES, VERSION_PATTERN, VERSION_PATTERN_MESSAGE } from './service-rules';

/**
 * Command requests as POSTed to /api/commands. One zod schema per command type;
 * the API validates with them and the web app builds its forms from the same types.
 */

const base = {
  environment: nameSchema,
};

/** Commands that act on a configured service: target is the service name. */
const serviceCommand = <T extends string, P extends z.ZodType>(type: T, params: P) =>
  z.strictObject({ type: z.literal(type), target: nameSchema, ...base, params });

const noParams = z.strictObject({}).default({});

/** No character below U+0020 (line breaks, escapes): the text ends up in logs and events. */
function hasNoControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return false;
  return true;
}

export const pingCommandSchema = z.strictObject({
  type: z.literal('ping'),
  target: z.literal('vigil', { error: 'ping only targets "vigil"' }),
  ...base,
  params: noParams,
});

export const startCommandSchema = serviceCommand('start', noParams);
export const stopCommandSchema = serviceCommand('stop', noParams);
export const restartCommandSchema = serviceCommand('restart', noParams);

export const logsCommandSchema = serviceCommand(
  'logs',
  z
    .strictObject({
      /** The last N lines over all instances. */
      lines: z.number().int().min(1).max(1000).default(100),
      /** Then keep streaming new lines as command.output… */
      follow: z.boolean().default(false),
      /** …for this long (at most 60 s). */
      followSeconds: z.number().int().min(1).max(60).default(30),
    })
    .default({ lines: 100, follow: false, followSeconds: 30 }),
);

export const scaleCommandSchema = serviceCommand(
  'scale',
  z.strictObject({ instances: z.number().int().min(MIN_INSTANCES, 'cannot be negative').max(MAX_INSTANCES) }),
);

/** Versions are passed to the deploy step as an environment variable; keep them plain anyway. */
export const versionSchema = z.string().min(1).max(MAX_VERSION_LENGTH).regex(VERSION_PATTERN, VERSION_PATTERN_MESSAGE);

export const deployCommandSchema = serviceCommand('deploy', z.strictObject({ version: versionSchema }));

export const cancelCommandSchema = z.strictObject({
  type: z.literal('cancel'),
  /** The id of the running command to cancel. */
  target: z.uuid({ error: 'must be the id of a running command' }),
  ...base,
  params: z
    .strictObject({
      reason: z.string().max(200).refine(hasNoControlCharacters, 'no control characters').optional(),
    })
    .default({}),
});

export const COMMAND_TYPES = ['ping', 'start', 'stop', 'restart', 'logs', 'scale', 'deploy', 'cancel'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

export const commandRequestSchema = z.discriminatedUnion(
  'type',
  [
    pingCommandSchema,
    startCommandSchema,
    stopCommandSchema,
    restartCommandSchema,
    logsCommandSchema,
    scaleCommandSchema,
    deployCommandSchema,
    cancelCommandSchema,
  ],
  {
    // Zod calls this for a body that is no object too (invalid_type), whatever its types say.
    error: (issue: { code: string }): string | undefined =>
      issue.code === 'invalid_union' ? `unknown command type; known types: ${COMMAND_TYPES.join(', ')}` : undefined,
  },
);

export type CommandRequest = z.infer<typeof commandRequestSchema>;
export type CommandRequestOf<T extends CommandType> = Extract<CommandRequest, { type: T }>;

/** Commands that only read: they may run while another command holds the target. */
export const READ_ONLY_COMMANDS: readonly CommandType[] = ['ping', 'logs'];

/** What POST /api/commands answers with 202. */
export interface CommandAccepted {
  commandId: string;
  position: number;
}

/** Idempotency-Key header: printable, bounded, so it can be hashed and logged. */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
