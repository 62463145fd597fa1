import type { AuthMethods, UserSummary } from '@vigil/shared';
import { getJson, postJson, send } from '../support/http';
import { startServer, stopServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

/** Break-glass password sign-in beside SSO, the methods the login page reads, and SSO routes when the provider is down. */

const NO_AUTH = { authorization: '' };
let server: RunningServer;

beforeAll(async () => {
  // Port 9 on loopback: nothing listens, so the provider is "down".
  const config = [
    'auth:',
    '  passwordLogin: break-glass',
    '  breakGlassUsers: [admin]',
    '  oidc:',
    '    issuer: http://127.0.0.1:9',
    '    clientId: vigil',
    '    label: Acme SSO',
    '    roleMap: { ops: operator }',
    '',
  ].join('\n');
  server = await startServer({ config });
  const created = await postJson<UserSummary>(server.baseUrl, '/api/users', {
    username: 'olga',
    role: 'operator',
    password: 'olga-the-operator-pw',
  });
  expect(created.status).toBe(201);
}, 60_000);

afterAll(async () => {
  await stopServer(server);
});

it('tells the login page what it offers, without a session', async () => {
  const methods = await getJson<AuthMethods>(server.baseUrl, '/api/auth/methods', NO_AUTH);
  expect(methods.status).toBe(200);
  expect(methods.body).toEqual({ password: 'break-glass', oidc: { label: 'Acme SSO', loginUrl: '/api/auth/oidc/login' } });
});

it('a break-glass user signs in with a password; anyone else is refused and recorded', async () => {
  expect((await postJson(server.baseUrl, '/api/auth/login', { username: 'admin', password: TEST_ADMIN_PASSWORD }, NO_AUTH)).status).toBe(
    200,
  );
  const olga = await postJson<{ message: string }>(
    server.baseUrl,
    '/api/auth/login',
    { username: 'olga', password: 'olga-the-operator-pw' },
    NO_AUTH,
  );
  expect(olga.status).toBe(401);
  expect(olga.body.message).toBe('password sign-in is turned off: use "Sign in with Acme SSO"');
  const typo = await postJson(server.baseUrl, '/api/auth/login', { username: 'my-secret-password', password: 'x' }, NO_AUTH);
  expect(typo.status).toBe(401);
  // Recorded like failed logins; a name that is nobody's (perhaps a password) is not stored.
  const stream = await SseClient.connect(server.baseUrl, '/api/stream?lastEventId=0&types=user.login-failed');
  try {
    await stream.waitFor('two failed logins', (messages) => messages.filter((message) => message.id !== undefined).length >= 2);
    const failures = stream.events.map((message) => (message.json as unknown as { data: { username: string; reason: string } }).data);
    expect(failures).toEqual([
      { username: 'olga', reason: 'password sign-in is off for this user (break-glass users only)' },
      { username: '(unknown user)', reason: 'password sign-in is off for this user (break-glass users only)' },
    ]);
  } finally {
    stream.close();
  }
});

it('an unreachable provider ends on the login page, not in an error', async () => {
  const login = await send(server.baseUrl, 'GET', '/api/auth/oidc/login', { headers: NO_AUTH });
  expect(login.status).toBe(302);
  expect(login.headers.location).toBe('/login?sso_error=unavailable');
  const callback = await send(server.baseUrl, 'GET', '/api/auth/oidc/callback?code=x&state=y', { headers: NO_AUTH });
  expect(callback.status).toBe(302);
  expect(callback.headers.location).toBe('/login?sso_error=state');
});
