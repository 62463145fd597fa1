import { passwordChangeProblem } from './password-change';

describe('passwordChangeProblem', () => {
  it('asks for the current password, a valid new one typed twice, and a change', () => {
    expect(passwordChangeProblem('', 'a-long-new-password', 'a-long-new-password')).toMatch(/current password/);
    expect(passwordChangeProblem('old', 'short', 'short')).toBe('New password: at least 12 characters');
    expect(passwordChangeProblem('old', 'a-long-new-password', 'a-long-new-passwore')).toMatch(/differ/);
    expect(passwordChangeProblem('a-long-new-password', 'a-long-new-password', 'a-long-new-password')).toMatch(/is the current/);
    expect(passwordChangeProblem('old', 'a-long-new-password', 'a-long-new-password')).toBeNull();
  });
});
