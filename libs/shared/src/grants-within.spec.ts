import { can } from './access';
import type { RoleGrants } from './access-schemas';
import { grantsWithin } from './grants-within';

const admin: RoleGrants = {
  environments: ['*'],
  commands: [{ types: ['*'], targets: ['*'], environments: ['*'] }],
  capabilities: ['audit.read', 'users.manage'],
};
const stagingPing: RoleGrants = {
  environments: ['staging'],
  commands: [{ types: ['ping'], targets: ['vigil'], environments: ['staging'] }],
  capabilities: [],
};
const webOnly: RoleGrants = {
  environments: ['*'],
  commands: [{ types: ['restart'], targets: ['web-*'], environments: ['*'] }],
  capabilities: [],
};

describe('grantsWithin', () => {
  it('anything is within everything; nothing wider is within less', () => {
    expect(grantsWithin(stagingPing, admin)).toBe(true);
    expect(grantsWithin(admin, stagingPing)).toBe(false);
    expect(grantsWithin(stagingPing, stagingPing)).toBe(true);
  });

  it('prefix globs cover what starts with them, never "*"', () => {
    const oneWeb: RoleGrants = { ...webOnly, commands: [{ types: ['restart'], targets: ['web-a'], environments: ['staging'] }] };
    expect(grantsWithin(oneWeb, webOnly)).toBe(true);
    expect(grantsWithin({ ...webOnly, commands: [{ types: ['restart'], targets: ['web-a*'], environments: ['*'] }] }, webOnly)).toBe(true);
    expect(grantsWithin({ ...webOnly, commands: [{ types: ['restart'], targets: ['*'], environments: ['*'] }] }, webOnly)).toBe(false);
    expect(grantsWithin({ ...webOnly, commands: [{ types: ['*'], targets: ['web-a'], environments: ['*'] }] }, webOnly)).toBe(false);
  });

  it('capabilities must all be held', () => {
    expect(grantsWithin({ ...stagingPing, capabilities: ['audit.read'] }, admin)).toBe(true);
    expect(grantsWithin({ ...stagingPing, capabilities: ['replay'] }, admin)).toBe(false);
  });
});

describe('can() with a token scope', () => {
  it('needs both the owner role and the scope', () => {
    const token = { grants: admin, scope: stagingPing };
    expect(can(token, { kind: 'command', type: 'ping', target: 'vigil', environment: 'staging' })).toBe(true);
    expect(can(token, { kind: 'command', type: 'ping', target: 'vigil', environment: 'production' })).toBe(false);
    expect(can(token, { kind: 'capability', capability: 'audit.read' })).toBe(false);
    expect(can({ grants: stagingPing, scope: admin }, { kind: 'capability', capability: 'audit.read' })).toBe(false);
  });
});
