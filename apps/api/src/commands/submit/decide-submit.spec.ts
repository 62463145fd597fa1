import { DEFAULT_ROLES, roleSchema, type CommandRequest, type SessionUser } from '@vigil/shared';
import { requestHash } from './command-identity';
import { decideSubmit, type SubmitAttempt, type SubmitState } from './decide-submit';

const userWith = (role: keyof typeof DEFAULT_ROLES): SessionUser => ({
  id: `${role}-id`,
  username: role,
  role,
  grants: roleSchema.parse(DEFAULT_ROLES[role]),
});
const operator = userWith('operator');
const viewer = userWith('viewer');

const COMMAND_ID = '00000000-0000-4000-8000-000000000001';
const DENIED_ID = '00000000-0000-4000-8000-000000000002';
const OTHER_ID = '00000000-0000-4000-8000-000000000003';

const restart: CommandRequest = { type: 'restart', target: 'web-server', environment: 'staging', params: {} };
const logs: CommandRequest = {
  type: 'logs',
  target: 'web-server',
  environment: 'production',
  params: { lines: 10, follow: false, followSeconds: 30 },
};
const cancel: CommandRequest = { type: 'cancel', target: OTHER_ID, environment: 'staging', params: {} };

const attempt = (request: CommandRequest, more: Partial<SubmitAttempt> = {}): SubmitAttempt => ({
  request,
  user: operator,
  commandId: COMMAND_ID,
  deniedId: DENIED_ID,
  ...more,
});
const state = (more: Partial<SubmitState> = {}): SubmitState => ({
  environments: ['staging', 'production'],
  targetKnown: true,
  ...more,
});

describe('decideSubmit', () => {
  it('accepts an allowed command on a free target, takes its lock, and records the request hash', () => {
    expect(decideSubmit(attempt(restart), state())).toEqual({
      accept: {
        commandId: COMMAND_ID,
        type: 'restart',
        target: 'web-server',
        environment: 'staging',
        params: {},
        requestHash: requestHash(restart),
      },
      takesLock: true,
    });
  });

  it('records the Idempotency-Key in the accepted event when there is one', () => {
    const decision = decideSubmit(attempt(restart, { idempotencyKey: 'key-1' }), state());
    expect('accept' in decision && decision.accept.idempotencyKey).toBe('key-1');
  });

  it('rejects an unknown environment with 404 before asking the role', () => {
    expect(decideSubmit(attempt(restart, { user: viewer }), state({ environments: ['production'] }))).toEqual({
      reject: { status: 404, message: 'unknown environment "staging"' },
    });
  });

  it('denies what the role does not allow with 403, a fresh id and the reason, even for an unknown target', () => {
    expect(decideSubmit(attempt(restart, { user: viewer }), state({ targetKnown: false }))).toEqual({
      deny: {
        commandId: DENIED_ID,
        type: 'restart',
        target: 'web-server',
        environment: 'staging',
        reason: 'role "viewer" may not run restart on web-server in staging',
      },
      status: 403,
    });
  });

  it('denies in production what an operator may only read there', () => {
    const decision = decideSubmit(attempt({ ...restart, environment: 'production' }), state());
    expect('deny' in decision && decision.deny.reason).toBe('role "operator" may not run restart on web-server in production');
  });

  it('judges a cancel by the type and target of the command it stops', () => {
    const cancelling = { type: 'deploy', target: 'api-server' };
    const denied = decideSubmit(attempt({ ...cancel, environment: 'production' }), state({ cancelling }));
    expect('deny' in denied && denied.deny.reason).toBe('role "operator" may not run deploy on api-server in production');
    const admin = userWith('admin');
    const cancelOnly = { ...admin, grants: { ...admin.grants, commands: [{ types: ['cancel'], targets: ['*'], environments: ['*'] }] } };
    const withoutDeployRight = decideSubmit(attempt(cancel, { user: cancelOnly }), state({ cancelling }));
    expect('deny' in withoutDeployRight && withoutDeployRight.deny.reason).toBe('role "admin" may not run deploy on api-server in staging');
  });

  it('judges a cancel of nothing running as the cancel type on that id', () => {
    const limited = {
      ...operator,
      grants: { ...operator.grants, commands: [{ types: ['restart'], targets: ['*'], environments: ['*'] }] },
    };
    const decision = decideSubmit(attempt(cancel, { user: limited }), state({ targetKnown: false }));
    expect('deny' in decision && decision.deny.reason).toBe(`role "operator" may not run cancel on ${OTHER_ID} in staging`);
  });

  it('rejects an unknown target with 404, naming a running command for cancel', () => {
    expect(decideSubmit(attempt(restart), state({ targetKnown: false }))).toEqual({
      reject: { status: 404, message: 'unknown target "web-server" in staging' },
    });
    expect(decideSubmit(attempt(cancel), state({ targetKnown: false }))).toEqual({
      reject: { status: 404, message: `unknown running command "${OTHER_ID}" in staging` },
    });
  });

  it('denies with 503 and the reason, recorded, when the target’s owner is offline; the role is asked first', () => {
    const ownerUnavailable = 'node b is not alive';
    expect(decideSubmit(attempt(restart), state({ ownerUnavailable }))).toEqual({
      deny: { commandId: DENIED_ID, type: 'restart', target: 'web-server', environment: 'staging', reason: ownerUnavailable },
      status: 503,
    });
    expect(decideSubmit(attempt(restart, { user: viewer }), state({ ownerUnavailable }))).toMatchObject({ status: 403 });
  });

  it('rejects params beyond the target’s limits with 400 and a field detail under body', () => {
    const paramsProblem = { path: 'params.instances', message: 'web-server allows at most 4 instances' };
    expect(decideSubmit(attempt(restart), state({ paramsProblem }))).toEqual({
      reject: {
        status: 400,
        message: 'web-server allows at most 4 instances',
        details: [{ path: 'body.params.instances', message: 'web-server allows at most 4 instances' }],
      },
    });
  });

  it('checks the target before the params, and the params before the lock', () => {
    const paramsProblem = { path: 'target', message: 'web-server has no deploy step configured' };
    const unknown = decideSubmit(attempt(restart), state({ targetKnown: false, paramsProblem, lockHolder: OTHER_ID }));
    expect('reject' in unknown && unknown.reject.status).toBe(404);
    const badParams = decideSubmit(attempt(restart), state({ paramsProblem, lockHolder: OTHER_ID }));
    expect('reject' in badParams && badParams.reject.status).toBe(400);
  });

  it('rejects a busy target with 409 naming the command that holds it', () => {
    expect(decideSubmit(attempt(restart), state({ lockHolder: OTHER_ID }))).toEqual({
      reject: {
        status: 409,
        message: `web-server in staging is busy with command ${OTHER_ID}`,
        details: { runningCommandId: OTHER_ID },
      },
    });
  });

  it('lets a repeat of the command holding the target through without taking the lock again', () => {
    const decision = decideSubmit(attempt(restart), state({ lockHolder: COMMAND_ID }));
    expect('accept' in decision && decision.takesLock).toBe(false);
  });

  it('never makes a read-only command wait for, or take, the target', () => {
    const busy = decideSubmit(attempt(logs), state({ lockHolder: OTHER_ID }));
    expect('accept' in busy && busy.takesLock).toBe(false);
    const free = decideSubmit(attempt(logs), state());
    expect('accept' in free && free.takesLock).toBe(false);
  });
});
