import {
  READ_ONLY_COMMANDS,
  type Actor,
  type CommandApprovalRequestedData,
  type CommandApprovedData,
  type CommandDeniedData,
  type CommandRejectedData,
  type SessionUser,
} from '@vigil/shared';

export type ApprovalVerb = 'approve' | 'reject';

/** Someone approves or rejects a pending command. Ids and the clock come from outside so deciding stays pure. */
export interface ApprovalAttempt {
  verb: ApprovalVerb;
  user: SessionUser;
  comment?: string;
  /** A fresh id for the `command.denied` stream a refusal is recorded in. */
  deniedId: string;
  now: number;
}

/** What the handler knows at the moment of deciding. */
export interface ApprovalState {
  requested: CommandApprovalRequestedData;
  /** Who asked (the request's meta.actor). */
  requester: Actor | undefined;
  /** The command that holds the target now, if any. */
  lockHolder?: string;
}

export type ApprovalDecision =
  /** Take the target's lock (when `takesLock`), then append `command.approved`. */
  | { approve: CommandApprovedData; takesLock: boolean }
  | { reject: CommandRejectedData }
  /** Record `command.denied` (who tried, on what), then answer 403. */
  | { deny: CommandDeniedData }
  /** Answer 409; nothing is written. */
  | { conflict: string };

/**
 * Four eyes: only a holder of one of the request's approver roles may approve,
 * and never the requester (a self-approval is refused and recorded). A rejection
 * needs an approver too, or the requester withdrawing their own request. An
 * approval past `expiresAt` (the timer not yet fired) is refused, and so is one
 * while another command holds the target: the request keeps waiting.
 */
export function decideApproval(attempt: ApprovalAttempt, state: ApprovalState): ApprovalDecision {
  const { verb, user } = attempt;
  const { requested, requester } = state;
  const own = requester?.id === user.id;
  const approver = requested.approvers.includes(user.role);
  const refuse = (reason: string): ApprovalDecision => ({
    deny: { commandId: attempt.deniedId, type: verb, target: requested.commandId, environment: requested.environment, reason },
  });
  if (verb === 'approve' && own) return refuse('you may not approve your own command: another approver must');
  if (!approver && !(verb === 'reject' && own)) {
    return refuse(`${verb === 'approve' ? 'approving' : 'rejecting'} needs one of the roles: ${requested.approvers.join(', ')}`);
  }
  if (attempt.now >= Date.parse(requested.expiresAt)) return { conflict: `command ${requested.commandId} has expired` };
  if (verb === 'reject') {
    const reason = attempt.comment ?? (own ? `withdrawn by ${user.username}` : `rejected by ${user.username}`);
    return { reject: { commandId: requested.commandId, by: user.username, reason } };
  }
  const readOnly = READ_ONLY_COMMANDS.includes(requested.type as (typeof READ_ONLY_COMMANDS)[number]);
  if (!readOnly && state.lockHolder !== undefined && state.lockHolder !== requested.commandId) {
    return {
      conflict: `${requested.target} in ${requested.environment} is busy with command ${state.lockHolder}: approve it once that ends`,
    };
  }
  const { approvers: _approvers, expiresAt: _expiresAt, ...command } = requested;
  return {
    approve: { ...command, by: user.username, ...(attempt.comment === undefined ? {} : { comment: attempt.comment }) },
    takesLock: !readOnly && state.lockHolder === undefined,
  };
}
