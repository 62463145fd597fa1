import { z } from 'zod';
import { nameSchema } from './field-schemas';
import { parseTypePatterns } from './stream-filter';

/** Query of GET /api/stream (and, without the resume point, of /api/replay): filters plus an optional resume point. */
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

export type StreamQuery = z.infer<typeof streamQuerySchema>;
