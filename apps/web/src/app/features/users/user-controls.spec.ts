import type { UserSummary } from '@vigil/shared';
import { generatePassword, newUserProblem, userControls } from './user-controls';

const user = (id: string, disabled = false): UserSummary => ({
  id,
  username: id,
  role: 'operator',
  disabled,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('user controls', () => {
  it('never lets an admin disable or re-role themselves, and says why', () => {
    const mine = userControls(user('me'), { id: 'me' });
    expect(mine.status.allowed).toBe(false);
    expect(mine.status.reason).toContain('yourself');
    expect(mine.role.allowed).toBe(false);
    expect(userControls(user('other'), { id: 'me' })).toEqual({ status: { allowed: true }, role: { allowed: true } });
  });

  it('checks a new user with the shared schemas before sending', () => {
    expect(newUserProblem('Bad Name', '')).toMatch(/^Username: /);
    expect(newUserProblem('otto', 'short')).toBe('Password: at least 12 characters');
    expect(newUserProblem('otto', '')).toBeNull();
    expect(newUserProblem('otto', 'long-enough-password')).toBeNull();
  });

  it('generates 20 characters from the random source, without look-alikes', () => {
    const password = generatePassword((bytes) => bytes.map((_, i) => i * 13));
    expect(password).toHaveLength(20);
    expect(password).not.toMatch(/[l1O0I]/);
    expect(generatePassword()).not.toBe(generatePassword());
  });
});
