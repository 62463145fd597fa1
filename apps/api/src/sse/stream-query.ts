import { nameSchema, parseTypePatterns, type StreamFilter } from '@vigil/shared';
import { z } from 'zod';

/** Query of /api/stream (and later /api/replay): filters plus an optional resume point. */
export const streamQuerySchema = z
  .object({
    environment: nameSchema.optional(),
    types: z
      .string()
      .max(1000)
      .optional()
      .superRefine((raw, ctx) => {
        if (raw === undefined) return;
        const { invalid } = parseTypePatterns(raw);
        if (invalid.length > 0) ctx.addIssue({ code: 'custom', message: `invalid type pattern(s): ${invalid.join(', ')}` });
      }),
    lastEventId: z
      .string()
      .regex(/^\d{1,15}$/, 'must be a non-negative integer')
      .optional(),
  })
  .loose();

export function toStreamFilter(query: z.infer<typeof streamQuerySchema>): StreamFilter {
  return {
    environment: query.environment,
    types: query.types === undefined ? undefined : parseTypePatterns(query.types).patterns,
  };
}
