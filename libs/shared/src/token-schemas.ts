import { z } from 'zod';
import { roleSchema } from './access-schemas';
import { isoInstantSchema } from './field-schemas';

/** POST /api/tokens: a name, exactly one of `role` or `grants`, an expiry; `userId` for another user (users.manage). */
export const createTokenSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .max(80)
      .regex(/^[A-Za-z0-9][A-Za-z0-9 ._:-]*$/, 'letters, digits, spaces, ".", "_", ":" and "-"'),
    role: z.string().min(1).max(64).optional(),
    grants: roleSchema.omit({ description: true }).optional(),
    expiresAt: isoInstantSchema,
    userId: z.uuid().optional(),
  })
  .refine((body) => (body.role === undefined) !== (body.grants === undefined), {
    error: 'give exactly one of role or grants',
    path: ['role'],
  });

export type CreateTokenRequest = z.infer<typeof createTokenSchema>;
