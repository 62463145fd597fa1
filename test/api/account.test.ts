import type { AccountSessionsResponse, RoleSummary, UserSummary } from '@vigil/shared';
import { addUsers } from '../support/app-session';
import { getJson, postJson } from '../support/http';
import { login, startServer, stopServer, type RunningServer, type TestSession } from '../support/server';

const PASSWORD = 'account-test-password-1';
const bearer = (session: TestSession): Record<string, string> => ({ authorization: `Bearer ${session.accessToken}` });

describe('My account: own password and sessions, for every role', () => {
  let server: RunningServer | undefined;
  const base = (): string => server?.baseUrl ?? '';

  beforeAll(async () => {
    server = await startServer();
    await addUsers(
      server,
      { username: 'vera', password: PASSWORD, role: 'viewer' },
      { username: 'otto', password: PASSWORD, role: 'operator' },
    );
  });
  afterAll(() => stopServer(server));

  it('lists the caller’s own open sessions, marks the current one, and records the last sign-in', async () => {
    const first = await login(base(), 'vera', PASSWORD);
    const second = await login(base(), 'vera', PASSWORD);
    await login(base(), 'otto', PASSWORD);
    const listed = await getJson<AccountSessionsResponse>(base(), '/api/account/sessions', bearer(second));
    expect(listed.status).toBe(200);
    expect(listed.body.sessions).toHaveLength(2);
    expect(listed.body.sessions.filter((session) => session.current)).toHaveLength(1);
    expect(listed.body.sessions[0]).toMatchObject({ current: true });
    // Only vera's: otto's session is not hers to see.
    expect(new Set(listed.body.sessions.map((session) => session.id)).size).toBe(2);

    const users = await getJson<UserSummary[]>(base(), '/api/users');
    const vera = users.body.find((user) => user.username === 'vera');
    expect(vera?.lastLoginAt).toEqual(expect.any(String));
    expect(Date.parse(vera?.lastLoginAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect((await getJson(base(), '/api/auth/me', bearer(first))).status).toBe(200);
  });

  it('signs out everywhere: every session of the caller, this one too, and nobody else’s', async () => {
    const a = await login(base(), 'otto', PASSWORD);
    const b = await login(base(), 'otto', PASSWORD);
    const vera = await login(base(), 'vera', PASSWORD);
    const ended = await postJson(base(), '/api/account/sign-out-everywhere', {}, bearer(a));
    expect(ended.status).toBe(204);
    expect((await getJson(base(), '/api/auth/me', bearer(a))).status).toBe(401);
    expect((await getJson(base(), '/api/auth/me', bearer(b))).status).toBe(401);
    expect((await getJson(base(), '/api/auth/me', bearer(vera))).status).toBe(200);
    const again = await login(base(), 'otto', PASSWORD);
    const listed = await getJson<AccountSessionsResponse>(base(), '/api/account/sessions', bearer(again));
    expect(listed.body.sessions.map((session) => session.id)).toHaveLength(1);
  });

  it('changes the own password only with the current one, then the old password no longer signs in', async () => {
    const session = await login(base(), 'vera', PASSWORD);
    const wrong = await postJson<{ details: { path: string }[] }>(
      base(),
      '/api/account/password',
      { currentPassword: 'not-the-password', newPassword: 'a-new-password-for-vera' },
      bearer(session),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.details[0].path).toBe('body.currentPassword');
    const short = await postJson(base(), '/api/account/password', { currentPassword: PASSWORD, newPassword: 'short' }, bearer(session));
    expect(short.status).toBe(400);
    const extra = await postJson(
      base(),
      '/api/account/password',
      { currentPassword: PASSWORD, newPassword: 'x'.repeat(20), role: 'admin' },
      bearer(session),
    );
    expect(extra.status).toBe(400);

    const changed = await postJson(
      base(),
      '/api/account/password',
      { currentPassword: PASSWORD, newPassword: 'a-new-password-for-vera' },
      bearer(session),
    );
    expect(changed.status).toBe(204);
    await expect(login(base(), 'vera', PASSWORD)).rejects.toThrow();
    const fresh = await login(base(), 'vera', 'a-new-password-for-vera');
    expect((await getJson(base(), '/api/auth/me', bearer(fresh))).status).toBe(200);
  });

  it('lists the configured roles for user managers only', async () => {
    const roles = await getJson<RoleSummary[]>(base(), '/api/users/roles');
    expect(roles.status).toBe(200);
    expect(roles.body.map((role) => role.name)).toEqual(expect.arrayContaining(['admin', 'operator', 'viewer']));
    expect(roles.body.find((role) => role.name === 'admin')?.grants.capabilities).toContain('users.manage');
    const viewer = await login(base(), 'otto', PASSWORD);
    expect((await getJson(base(), '/api/users/roles', bearer(viewer))).status).toBe(403);
  });

  it('refuses the account routes without a session', async () => {
    const none = { authorization: '' };
    expect((await getJson(base(), '/api/account/sessions', none)).status).toBe(401);
    expect((await postJson(base(), '/api/account/sign-out-everywhere', {}, none)).status).toBe(401);
  });
});
