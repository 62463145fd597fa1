import { groupsOf, mappedRole } from './role-mapping';

describe('SSO role mapping', () => {
  const config = { roleMap: { 'vigil-admins': 'admin', 'vigil-ops': 'operator' }, defaultRole: undefined };

  it('takes the first mapped group in config order', () => {
    expect(mappedRole(config, ['vigil-ops', 'vigil-admins'])).toBe('admin');
    expect(mappedRole(config, ['other', 'vigil-ops'])).toBe('operator');
  });

  it('falls back to defaultRole, or refuses without one', () => {
    expect(mappedRole(config, ['contractors'])).toBeUndefined();
    expect(mappedRole({ ...config, defaultRole: 'viewer' }, ['contractors'])).toBe('viewer');
  });

  it('reads a claim that is an array or a single string, ignoring anything else', () => {
    expect(groupsOf({ groups: ['a', 2, 'b'] }, 'groups')).toEqual(['a', 'b']);
    expect(groupsOf({ roles: 'ops' }, 'roles')).toEqual(['ops']);
    expect(groupsOf({ groups: { a: 1 } }, 'groups')).toEqual([]);
    expect(groupsOf({}, 'groups')).toEqual([]);
  });
});
