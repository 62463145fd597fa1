import type { PendingApproval, SessionUser } from '@vigil/shared';

/** One pending approval as the page shows it, with what this user may do about it. */
export interface ApprovalRow extends PendingApproval {
  mine: boolean;
  mayApprove: boolean;
  mayReject: boolean;
  /** Why there is no Approve button, when there is none. */
  note: string | null;
}

/** The same rules the API applies (decide-approval.ts): another approver approves; the requester may only withdraw. */
export function approvalRows(items: readonly PendingApproval[], user: SessionUser | null): ApprovalRow[] {
  return items.map((item) => {
    const mine = user?.id === item.requestedBy.id;
    const approver = user !== null && item.approvers.includes(user.role);
    const note = mine ? 'your request: another approver must approve it' : approver ? null : `needs one of: ${item.approvers.join(', ')}`;
    return { ...item, mine, mayApprove: approver && !mine, mayReject: approver || mine, note };
  });
}

/** A key that changes whenever the folded commands' approvals change: the page reloads its list on it. */
export function approvalsKey(commands: readonly { commandId: string; state: string; approval?: unknown }[]): string {
  return commands
    .filter((command) => command.approval !== undefined)
    .map((command) => `${command.commandId}:${command.state}`)
    .join(',');
}
