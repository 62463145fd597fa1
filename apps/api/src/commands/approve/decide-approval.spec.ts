import { DEFAULT_ROLES, roleSchema, type CommandApprovalRequestedData, type SessionUser } from '@vigil/shared';
import { approvalsConfigSchema } from '../../config/approvals-config.schema';
import { decideSubmit } from '../submit/decide-submit';
import { approvalFor, approvalRuleFor } from './approval-rules';
import { decideApproval, type ApprovalAttempt } from './decide-approval';

const userWith = (role: keyof typeof DEFAULT_ROLES, username: string = role): SessionUser => ({
  id: `${username}-id`,
  username,
  role,
  grants: roleSchema.parse(DEFAULT_ROLES[role]),
});
const admin = userWith('admin');
const otherAdmin = userWith('admin', 'bea');
const operator = userWith('operator');
const NOW = Date.parse('2026-12-01T10:00:00.000Z');

const requested: CommandApprovalRequestedData = {
  commandId: '00000000-0000-4000-8000-000000000001',
  type: 'restart',
  target: 'web-server',
  environment: 'production',
  params: {},
  requestHash: 'h',
  approvers: ['admin'],
  expiresAt: new Date(NOW + 60_000).toISOString(),
};
const by = (user: SessionUser, more: Partial<ApprovalAttempt> = {}): ApprovalAttempt => ({
  verb: 'approve',
  user,
  deniedId: '00000000-0000-4000-8000-000000000009',
  now: NOW,
  ...more,
});
const state = { requested, requester: { id: admin.id, username: 'admin', roles: ['admin'] } };

describe('decideApproval', () => {
  it('lets another approver approve: the approved event carries the whole command, and takes the target', () => {
    const decision = decideApproval(by(otherAdmin, { comment: 'ok' }), state);
    expect(decision).toEqual({
      approve: {
        commandId: requested.commandId,
        type: 'restart',
        target: 'web-server',
        environment: 'production',
        params: {},
        requestHash: 'h',
        by: 'bea',
        comment: 'ok',
      },
      takesLock: true,
    });
  });

  it('refuses self-approval and non-approvers as denied attempts on the command', () => {
    expect(decideApproval(by(admin), state)).toEqual({
      deny: {
        commandId: '00000000-0000-4000-8000-000000000009',
        type: 'approve',
        target: requested.commandId,
        environment: 'production',
        reason: expect.stringMatching(/your own command/) as string,
      },
    });
    expect(decideApproval(by(operator), state)).toMatchObject({
      deny: { type: 'approve', reason: 'approving needs one of the roles: admin' },
    });
    expect(decideApproval(by(operator, { verb: 'reject' }), state)).toMatchObject({ deny: { type: 'reject' } });
  });

  it('lets an approver reject, and the requester withdraw', () => {
    expect(decideApproval(by(otherAdmin, { verb: 'reject' }), state)).toEqual({
      reject: { commandId: requested.commandId, by: 'bea', reason: 'rejected by bea' },
    });
    const withdrawn = decideApproval(by(operator, { verb: 'reject' }), {
      ...state,
      requester: { id: operator.id, username: 'operator', roles: [] },
    });
    expect(withdrawn).toEqual({ reject: { commandId: requested.commandId, by: 'operator', reason: 'withdrawn by operator' } });
  });

  it('refuses an approval past expiresAt, or while another command holds the target', () => {
    expect(decideApproval(by(otherAdmin, { now: NOW + 60_000 }), state)).toEqual({
      conflict: `command ${requested.commandId} has expired`,
    });
    expect(decideApproval(by(otherAdmin), { ...state, lockHolder: 'other' })).toMatchObject({
      conflict: expect.stringMatching(/busy with command other/) as string,
    });
  });
});

describe('approval rules in decideSubmit', () => {
  const rules = approvalsConfigSchema.parse([
    { commands: ['deploy', 'restart'], environments: ['prod*'], approvers: ['admin'], expiresMinutes: 30 },
    { approvers: ['operator'] },
  ]);

  it('matches the first rule by type, target and environment; cancel never waits', () => {
    const restart = { type: 'restart', target: 'web', environment: 'production', params: {} } as const;
    expect(approvalRuleFor(rules, restart)?.expiresMinutes).toBe(30);
    expect(approvalRuleFor(rules, { ...restart, environment: 'staging' })?.approvers).toEqual(['operator']);
    expect(approvalRuleFor(rules, { type: 'cancel', target: requested.commandId, environment: 'production', params: {} })).toBeUndefined();
    expect(approvalFor(approvalRuleFor(rules, restart), NOW)).toEqual({
      approvers: ['admin'],
      expiresAt: new Date(NOW + 30 * 60_000).toISOString(),
    });
  });

  it('turns a matching command into an approval request, even while its target is busy', () => {
    const decision = decideSubmit(
      {
        request: { type: 'restart', target: 'web', environment: 'production', params: {} },
        user: admin,
        commandId: requested.commandId,
        deniedId: 'd',
      },
      {
        environments: ['production'],
        targetKnown: true,
        lockHolder: 'other',
        approval: { approvers: ['admin'], expiresAt: requested.expiresAt },
      },
    );
    expect(decision).toMatchObject({
      awaitApproval: { commandId: requested.commandId, type: 'restart', approvers: ['admin'], expiresAt: requested.expiresAt },
    });
  });
});
