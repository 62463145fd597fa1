import { z } from 'zod';
import { CAPABILITIES } from './capabilities';

/** `*`, an exact name, or a prefix glob such as `web-*`. */
const glob = z
  .string()
  .min(1)
  .max(100)
  .regex(/^(\*|[a-z0-9][a-z0-9_-]*\*?)$/, 'a name, "*" or a prefix glob like "web-*"');

export const commandGrantSchema = z.strictObject({
  types: z.array(z.string().regex(/^(\*|[a-z-]+)$/, 'a command type or "*"')).min(1),
  targets: z.array(glob).min(1).default(['*']),
  environments: z.array(glob).min(1).default(['*']),
  /** Agents: hosts whose services the grant covers (globs); absent = every host and this server's own services. */
  hosts: z.array(glob).min(1).optional(),
});

export const roleSchema = z.strictObject({
  description: z.string().max(200).optional(),
  /** Environments this role may view (streams, services, metrics, commands). */
  environments: z.array(glob).default(['*']),
  commands: z.array(commandGrantSchema).default([]),
  capabilities: z.array(z.enum(CAPABILITIES)).default([]),
});

export type CommandGrant = z.infer<typeof commandGrantSchema>;
export type RoleGrants = z.infer<typeof roleSchema>;

export const loginRequestSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

export const usernameSchema = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, ".", "_" and "-"');

export const passwordSchema = z.string().min(12, 'at least 12 characters').max(1024);

export const createUserSchema = z.strictObject({
  username: usernameSchema,
  role: z.string().min(1).max(64),
  password: passwordSchema,
});

/** POST /api/account/password: the signed-in user's own password, the current one required. */
export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: passwordSchema,
});

export const updateUserSchema = z
  .strictObject({
    role: z.string().min(1).max(64).optional(),
    password: passwordSchema.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'give role, password or disabled');
