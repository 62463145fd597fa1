import { DEFAULT_ROLES, roleSchema, type PendingApproval, type SessionUser } from '@vigil/shared';
import { approvalRows, approvalsKey } from './approval-rows';

const user = (id: string, role: keyof typeof DEFAULT_ROLES): SessionUser => ({
  id,
  username: id,
  role,
  grants: roleSchema.parse(DEFAULT_ROLES[role]),
});
const item: PendingApproval = {
  commandId: 'c1',
  type: 'restart',
  target: 'web-server',
  environment: 'production',
  params: {},
  requestedBy: { id: 'otto', username: 'otto' },
  requestedAt: '2026-12-01T10:00:00.000Z',
  expiresAt: '2026-12-01T11:00:00.000Z',
  approvers: ['admin'],
  position: 7,
};

describe('approval rows', () => {
  it('offers Approve and Reject to another approver, only Withdraw to the requester, nothing to others', () => {
    expect(approvalRows([item], user('ada', 'admin'))[0]).toMatchObject({ mayApprove: true, mayReject: true, mine: false, note: null });
    expect(approvalRows([item], user('otto', 'operator'))[0]).toMatchObject({ mayApprove: false, mayReject: true, mine: true });
    expect(approvalRows([item], user('vera', 'viewer'))[0]).toMatchObject({
      mayApprove: false,
      mayReject: false,
      note: 'needs one of: admin',
    });
    // An approver who asked may still not approve their own command.
    expect(approvalRows([{ ...item, requestedBy: { id: 'ada', username: 'ada' } }], user('ada', 'admin'))[0]).toMatchObject({
      mayApprove: false,
      mayReject: true,
    });
  });

  it('keys the reload on the commands that went through approval and their states', () => {
    const plain = { commandId: 'p', state: 'completed' };
    const waiting = { commandId: 'c1', state: 'awaiting-approval', approval: {} };
    expect(approvalsKey([plain, waiting])).toBe('c1:awaiting-approval');
    expect(approvalsKey([plain, { ...waiting, state: 'accepted' }])).not.toBe(approvalsKey([plain, waiting]));
  });
});
