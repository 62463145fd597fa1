import { z } from 'zod';

/**
 * Four-eyes approvals: a command matching a configured approval rule opens its
 * stream with `command.approval-requested` instead of `command.accepted`, and runs
 * only after `command.approved` (by another user holding an approver role), or
 * ends with `command.rejected` or `command.expired`.
 */

/**
 * The fields of `CommandAcceptedData` (events.ts), restated here because events.ts
 * imports this file; the two are kept structurally equal, so each is assignable to the other.
 */
interface CommandFields {
  commandId: string;
  type: string;
  target: string;
  environment: string;
  params: Record<string, unknown>;
  requestHash: string;
  idempotencyKey?: string;
}

/** Everything `command.accepted` would hold, plus who may approve and until when. */
export interface CommandApprovalRequestedData extends CommandFields {
  /** Roles whose holders, other than the requester, may approve. */
  approvers: string[];
  /** ISO time after which the request expires unapproved. */
  expiresAt: string;
}

/** Self-contained, so the runner and placement act on it as on `command.accepted`. */
export interface CommandApprovedData extends CommandFields {
  /** Username of the approver (also `meta.actor`). */
  by: string;
  comment?: string;
}

export interface CommandRejectedData {
  commandId: string;
  by: string;
  reason: string;
}

export interface CommandExpiredData {
  commandId: string;
  reason: string;
}

/** POST /api/commands/:id/approve and /reject: an optional comment (the reason, for a rejection). */
export const approvalDecisionSchema = z
  .strictObject({
    comment: z
      .string()
      .max(200)
      .refine(
        (text) => !Array.from({ length: text.length }, (_, i) => text.charCodeAt(i)).some((code) => code < 0x20),
        'no control characters',
      )
      .optional(),
  })
  .default({});

/** One command awaiting approval, as GET /api/approvals lists it. */
export interface PendingApproval {
  commandId: string;
  type: string;
  target: string;
  environment: string;
  params: Record<string, unknown>;
  requestedBy: { id: string; username: string };
  requestedAt: string;
  expiresAt: string;
  approvers: string[];
  position: number;
}
