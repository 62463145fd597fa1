import { nameSchema } from '@vigil/shared';
import { z } from 'zod';

const glob = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._-]*\*?$/, 'a name, or a prefix ending in *');

/**
 * Four-eyes rules (`approvals:`): a command whose type, target and environment all
 * match a rule waits for another user holding one of `approvers` to approve it.
 * The first matching rule applies. `cancel` never waits (it only stops things).
 */
export const approvalRuleSchema = z.strictObject({
  commands: z.array(glob).min(1).default(['*']),
  targets: z.array(glob).min(1).default(['*']),
  environments: z.array(glob).min(1).default(['*']),
  /** Roles that may approve (never the requester themself). */
  approvers: z.array(nameSchema).min(1),
  /** Unapproved after this long: `command.expired`. */
  expiresMinutes: z
    .number()
    .positive()
    .max(7 * 24 * 60)
    .default(60),
});

export const approvalsConfigSchema = z.array(approvalRuleSchema).max(100).default([]);

export type ApprovalRule = z.infer<typeof approvalRuleSchema>;
