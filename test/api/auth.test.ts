import type { LoginResponse, MeResponse, StoredEvent, UserSummary } from '@vigil/shared';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getJson, logPosition, postJson, send, PING, type JsonResponse } from '../support/http';
import { startServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'api', 'cli', 'vigil-cli.js');
const ADMIN_PASSWORD = 'auth-test-admin-password';
const NO_AUTH = { authorization: '' };

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

function cookiesOf(response: JsonResponse): string[] {
  const header = response.headers['set-cookie'];
  return Array.isArray(header) ? header : header ? [header] : [];
}

function cookieValue(setCookies: string[], name: string): string | undefined {
  const line = setCookies.find((cookie) => cookie.startsWith(`${name}=`));
  return line ? decodeURIComponent(line.slice(name.length + 1).split(';')[0]) : undefined;
}

async function loginAs(baseUrl: string, username: string, password: string): Promise<LoginResponse & { cookies: string[] }> {
  const response = await postJson<LoginResponse>(baseUrl, '/api/auth/login', { username, password }, NO_AUTH);
  if (response.status !== 200) throw new Error(`login as ${username} answered ${response.status}: ${response.text}`);
  return { ...response.body, cookies: cookiesOf(response) };
}

/** The durable events of the given types from the start of the log (read as `token` over SSE), once `done` holds. */
async function eventsOfType(
  baseUrl: string,
  token: string,
  types: string,
  done: (events: StoredEvent[]) => boolean,
): Promise<StoredEvent[]> {
  const client = await SseClient.connect(baseUrl, `/api/stream?lastEventId=0&types=${encodeURIComponent(types)}`, bearer(token));
  const events = (): StoredEvent[] => client.events.map((message) => message.json as unknown as StoredEvent);
  try {
    expect(client.status).toBe(200);
    await client.waitFor(`${types} events`, () => done(events()));
    return events();
  } finally {
    client.close();
  }
}

/** Expects a 401/403 JSON error that wrote no event. */
async function expectRefused(
  server: RunningServer,
  request: () => Promise<JsonResponse<ErrorBody>>,
  status: 401 | 403,
  message: RegExp,
): Promise<void> {
  const before = await logPosition(server.baseUrl);
  const response = await request();
  expect(response.status).toBe(status);
  expect(response.body).toMatchObject({ statusCode: status, error: status === 401 ? 'Unauthorized' : 'Forbidden' });
  expect(response.body.message).toMatch(message);
  await sleep(20);
  expect(await logPosition(server.baseUrl)).toBe(before);
}

describe('identity and access', () => {
  let server: RunningServer;
  let admin: LoginResponse & { cookies: string[] };

  beforeAll(async () => {
    server = await startServer({ auth: false, env: { VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  it('logs the first admin in: token, CSRF token, user with grants, and the two cookies', () => {
    expect(admin.accessToken.split('.')).toHaveLength(3);
    expect(admin.user).toMatchObject({ username: 'admin', role: 'admin' });
    expect(admin.user.grants.capabilities).toContain('users.manage');
    expect(Date.parse(admin.expiresAt) - Date.now()).toBeGreaterThan(7.9 * 3600_000);
    expect(JSON.stringify(admin)).not.toMatch(/passwordHash|scrypt/);

    const session = admin.cookies.find((cookie) => cookie.startsWith('vigil_session='))!;
    expect(cookieValue(admin.cookies, 'vigil_session')).toBe(admin.accessToken);
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Strict/);
    expect(session).toMatch(/; Path=\//);
    expect(session).toMatch(/; Max-Age=28800/);
    expect(session).not.toMatch(/Secure/); // plain HTTP on localhost
    const csrf = admin.cookies.find((cookie) => cookie.startsWith('vigil_csrf='))!;
    expect(cookieValue(admin.cookies, 'vigil_csrf')).toBe(admin.csrfToken);
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(csrf).toMatch(/; SameSite=Strict/);
  });

  it('answers GET /api/auth/me for a bearer token and for the cookie', async () => {
    const viaBearer = await getJson<MeResponse>(server.baseUrl, '/api/auth/me', bearer(admin.accessToken));
    expect(viaBearer.status).toBe(200);
    expect(viaBearer.body).toEqual({ user: admin.user, csrfToken: admin.csrfToken, expiresAt: admin.expiresAt });
    const viaCookie = await getJson<MeResponse>(server.baseUrl, '/api/auth/me', { cookie: `vigil_session=${admin.accessToken}` });
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.body.user.id).toBe(admin.user.id);
  });

  it('needs a session everywhere except health, login and /metrics', async () => {
    for (const path of ['/api/auth/me', '/api/services', '/api/users', '/api/stream', '/api/audit', '/api/metrics/catalog']) {
      await expectRefused(server, () => getJson<ErrorBody>(server.baseUrl, path), 401, /not signed in/);
    }
    await expectRefused(server, () => postJson<ErrorBody>(server.baseUrl, '/api/commands', PING), 401, /not signed in/);
    expect((await getJson(server.baseUrl, '/api/health')).status).toBe(200);
    expect((await getJson(server.baseUrl, '/metrics')).status).toBe(200);
  });

  it('refuses forged, tampered, foreign and malformed tokens, writing nothing', async () => {
    const [header, payload, signature] = admin.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const me = (headers: Record<string, string>) => () => getJson<ErrorBody>(server.baseUrl, '/api/auth/me', headers);

    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    await expectRefused(server, me(bearer(`${header}.${payload}.${flipped}`)), 401, /invalid session token/);
    // A payload changed to another user, signature kept.
    await expectRefused(
      server,
      me(bearer(`${header}.${b64url({ ...claims, sub: 'someone-else', exp: (claims.exp as number) + 1000 })}.${signature}`)),
      401,
      /invalid session token/,
    );
    // alg: none, crafted by hand with an empty signature (bearer and cookie).
    const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    await expectRefused(server, me(bearer(none)), 401, /invalid session token/);
    await expectRefused(server, me({ cookie: `vigil_session=${none}` }), 401, /invalid session token/);
    // HS512 and a different key.
    const hs512 = b64url({ alg: 'HS512', typ: 'JWT' });
    await expectRefused(
      server,
      me(bearer(`${hs512}.${payload}.${createHmac('sha512', 'guess').update(`${hs512}.${payload}`).digest('base64url')}`)),
      401,
      /invalid/,
    );
    const foreign = createHmac('sha256', 'not-the-servers-secret-0123456789abcdef').update(`${header}.${payload}`).digest('base64url');
    await expectRefused(server, me(bearer(`${header}.${payload}.${foreign}`)), 401, /invalid session token/);
    await expectRefused(server, me(bearer('garbage')), 401, /invalid session token/);
    await expectRefused(server, me({ authorization: `Basic ${Buffer.from('admin:x').toString('base64')}` }), 401, /Bearer/);
  });

  it('needs the CSRF header for cookie-authenticated writes, not for bearer ones', async () => {
    const cookie = `vigil_session=${admin.accessToken}; vigil_csrf=${admin.csrfToken}`;
    const post = (headers: Record<string, string>) => () => postJson<ErrorBody>(server.baseUrl, '/api/commands', PING, headers);
    await expectRefused(server, post({ cookie }), 403, /missing or invalid CSRF token/);
    await expectRefused(server, post({ cookie, 'x-csrf-token': 'wrong' }), 403, /missing or invalid CSRF token/);
    const other = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
    // Another session's CSRF token does not fit this session.
    await expectRefused(server, post({ cookie, 'x-csrf-token': other.csrfToken }), 403, /missing or invalid CSRF token/);
    expect((await postJson(server.baseUrl, '/api/commands', PING, { cookie, 'x-csrf-token': admin.csrfToken })).status).toBe(202);
    expect((await postJson(server.baseUrl, '/api/commands', PING, bearer(admin.accessToken))).status).toBe(202);
    // Safe methods need no CSRF header.
    expect((await getJson(server.baseUrl, '/api/auth/me', { cookie })).status).toBe(200);
  });

  it('records the signed-in user as the actor of what they cause', async () => {
    const response = await postJson<{ commandId: string }>(server.baseUrl, '/api/commands', PING, bearer(admin.accessToken));
    const mine = (event: StoredEvent): boolean => (event.data as { commandId: string }).commandId === response.body.commandId;
    const [accepted] = (await eventsOfType(server.baseUrl, admin.accessToken, 'command.accepted', (events) => events.some(mine))).filter(
      mine,
    );
    expect(accepted.meta.actor).toEqual({ id: admin.user.id, username: 'admin', roles: ['admin'] });
  });

  it('revokes the token on logout and clears both cookies', async () => {
    const session = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
    const logout = await send(server.baseUrl, 'POST', '/api/auth/logout', { headers: bearer(session.accessToken) });
    expect(logout.status).toBe(204);
    const cleared = cookiesOf(logout);
    expect(cleared.find((cookie) => cookie.startsWith('vigil_session=;'))).toMatch(/Max-Age=0/);
    expect(cleared.find((cookie) => cookie.startsWith('vigil_csrf=;'))).toMatch(/Max-Age=0/);
    const [loggedOut] = (await eventsOfType(server.baseUrl, admin.accessToken, 'user.logged-out', (events) => events.length >= 1)).slice(
      -1,
    );
    expect(loggedOut.data).toMatchObject({ userId: admin.user.id, username: 'admin', expiresAt: session.expiresAt });
    await expectRefused(server, () => getJson<ErrorBody>(server.baseUrl, '/api/auth/me', bearer(session.accessToken)), 401, /logged out/);
    await expectRefused(
      server,
      () => getJson<ErrorBody>(server.baseUrl, '/api/auth/me', { cookie: `vigil_session=${session.accessToken}` }),
      401,
      /logged out/,
    );
    // A cookie logout needs the CSRF header like any other write.
    const cookieSession = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
    await expectRefused(
      server,
      () =>
        send<ErrorBody>(server.baseUrl, 'POST', '/api/auth/logout', { headers: { cookie: `vigil_session=${cookieSession.accessToken}` } }),
      403,
      /CSRF/,
    );
    expect((await getJson(server.baseUrl, '/api/auth/me', bearer(admin.accessToken))).status).toBe(200);
  });

  describe('users', () => {
    let olivia: UserSummary;

    it('creates users (admin only), refusing taken names, unknown roles and weak passwords', async () => {
      const created = await postJson<UserSummary>(
        server.baseUrl,
        '/api/users',
        { username: 'olivia', role: 'operator', password: 'olivia-password-1' },
        bearer(admin.accessToken),
      );
      expect(created.status).toBe(201);
      olivia = created.body;
      expect(olivia).toMatchObject({ username: 'olivia', role: 'operator', disabled: false });
      expect(JSON.stringify(created.body)).not.toMatch(/password/i);

      const before = await logPosition(server.baseUrl);
      const again = await postJson<ErrorBody>(
        server.baseUrl,
        '/api/users',
        { username: 'olivia', role: 'viewer', password: 'another-password-1' },
        bearer(admin.accessToken),
      );
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/already exists/);
      const unknownRole = await postJson<ErrorBody>(
        server.baseUrl,
        '/api/users',
        { username: 'pat', role: 'root', password: 'pat-password-123' },
        bearer(admin.accessToken),
      );
      expect(unknownRole.status).toBe(400);
      expect(unknownRole.body.message).toMatch(/unknown role "root"/);
      const weak = await postJson<ErrorBody>(
        server.baseUrl,
        '/api/users',
        { username: 'pat', role: 'viewer', password: 'short' },
        bearer(admin.accessToken),
      );
      expect(weak.status).toBe(400);
      const badName = await postJson<ErrorBody>(
        server.baseUrl,
        '/api/users',
        { username: 'Pat Smith', role: 'viewer', password: 'pat-password-123' },
        bearer(admin.accessToken),
      );
      expect(badName.status).toBe(400);
      expect(await logPosition(server.baseUrl)).toBe(before);

      const list = await getJson<UserSummary[]>(server.baseUrl, '/api/users', bearer(admin.accessToken));
      expect(list.body.map((user) => user.username)).toEqual(['admin', 'olivia']);
      expect(JSON.stringify(list.body)).not.toMatch(/passwordHash|scrypt/);
    });

    it('refuses user management to a role without users.manage (403 naming the capability)', async () => {
      const session = await loginAs(server.baseUrl, 'olivia', 'olivia-password-1');
      expect(session.user.role).toBe('operator');
      await expectRefused(
        server,
        () => getJson<ErrorBody>(server.baseUrl, '/api/users', bearer(session.accessToken)),
        403,
        /role "operator" lacks users\.manage/,
      );
      await expectRefused(
        server,
        () =>
          postJson<ErrorBody>(
            server.baseUrl,
            '/api/users',
            { username: 'eve', role: 'admin', password: 'eve-password-123' },
            bearer(session.accessToken),
          ),
        403,
        /lacks users\.manage/,
      );
    });

    it('applies a role change on the very next request of an existing session', async () => {
      const session = await loginAs(server.baseUrl, 'olivia', 'olivia-password-1');
      const promote = await send<UserSummary>(server.baseUrl, 'PATCH', `/api/users/${olivia.id}`, {
        body: JSON.stringify({ role: 'admin' }),
        headers: bearer(admin.accessToken),
      });
      expect(promote.status).toBe(200);
      expect(promote.body.role).toBe('admin');
      expect((await getJson(server.baseUrl, '/api/users', bearer(session.accessToken))).status).toBe(200);
      const me = await getJson<MeResponse>(server.baseUrl, '/api/auth/me', bearer(session.accessToken));
      expect(me.body.user.role).toBe('admin');
      await send(server.baseUrl, 'PATCH', `/api/users/${olivia.id}`, {
        body: JSON.stringify({ role: 'viewer' }),
        headers: bearer(admin.accessToken),
      });
      await expectRefused(
        server,
        () => getJson<ErrorBody>(server.baseUrl, '/api/users', bearer(session.accessToken)),
        403,
        /role "viewer" lacks users\.manage/,
      );
      const [changed] = (await eventsOfType(server.baseUrl, admin.accessToken, 'user.role-changed', (events) => events.length >= 2)).slice(
        -1,
      );
      expect(changed.data).toMatchObject({ userId: olivia.id, role: 'viewer', previousRole: 'admin' });
    });

    it('refuses disabling or demoting yourself', async () => {
      const patch = (body: unknown) =>
        send<ErrorBody>(server.baseUrl, 'PATCH', `/api/users/${admin.user.id}`, {
          body: JSON.stringify(body),
          headers: bearer(admin.accessToken),
        });
      const before = await logPosition(server.baseUrl);
      expect((await patch({ disabled: true })).status).toBe(400);
      const demote = await patch({ role: 'viewer' });
      expect(demote.status).toBe(400);
      expect(demote.body.message).toMatch(/demote yourself/);
      expect((await patch({ role: 'wizard' })).status).toBe(400);
      expect((await patch({})).status).toBe(400);
      expect(await logPosition(server.baseUrl)).toBe(before);
      const missing = await send<ErrorBody>(server.baseUrl, 'PATCH', '/api/users/00000000-0000-4000-8000-000000000000', {
        body: JSON.stringify({ disabled: true }),
        headers: bearer(admin.accessToken),
      });
      expect(missing.status).toBe(404);
    });

    it('cuts off a disabled user at once: their token, and login', async () => {
      const session = await loginAs(server.baseUrl, 'olivia', 'olivia-password-1');
      const disable = await send<UserSummary>(server.baseUrl, 'PATCH', `/api/users/${olivia.id}`, {
        body: JSON.stringify({ disabled: true }),
        headers: bearer(admin.accessToken),
      });
      expect(disable.body.disabled).toBe(true);
      await expectRefused(server, () => getJson<ErrorBody>(server.baseUrl, '/api/auth/me', bearer(session.accessToken)), 401, /disabled/);
      const login = await postJson<ErrorBody>(
        server.baseUrl,
        '/api/auth/login',
        { username: 'olivia', password: 'olivia-password-1' },
        NO_AUTH,
      );
      expect(login.status).toBe(401);
      expect(login.body.message).toBe('invalid username or password');
      await send(server.baseUrl, 'PATCH', `/api/users/${olivia.id}`, {
        body: JSON.stringify({ disabled: false }),
        headers: bearer(admin.accessToken),
      });
      expect((await getJson(server.baseUrl, '/api/auth/me', bearer(session.accessToken))).status).toBe(200);
    });

    it('changes a password: the old one stops working, and so do sessions opened with it', async () => {
      const before = await postJson<{ accessToken: string }>(
        server.baseUrl,
        '/api/auth/login',
        { username: 'olivia', password: 'olivia-password-1' },
        NO_AUTH,
      );
      expect(before.status).toBe(200);
      // Tokens carry whole seconds: let the change fall in a later second than the login.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const change = await send(server.baseUrl, 'PATCH', `/api/users/${olivia.id}`, {
        body: JSON.stringify({ password: 'olivia-password-2' }),
        headers: bearer(admin.accessToken),
      });
      expect(change.status).toBe(200);
      const stale = await getJson<{ message: string }>(server.baseUrl, '/api/auth/me', bearer(before.body.accessToken));
      expect(stale.status).toBe(401);
      expect(stale.body.message).toMatch(/password changed/);
      expect(
        (await postJson(server.baseUrl, '/api/auth/login', { username: 'olivia', password: 'olivia-password-1' }, NO_AUTH)).status,
      ).toBe(401);
      expect(
        (await postJson(server.baseUrl, '/api/auth/login', { username: 'olivia', password: 'olivia-password-2' }, NO_AUTH)).status,
      ).toBe(200);
    });
  });

  it('sends security headers and no CORS headers', async () => {
    const response = await getJson(server.baseUrl, '/api/health', { origin: 'http://evil.example' });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/style-src 'self' 'unsafe-inline'/);
    expect(csp).toMatch(/img-src 'self' data:/);
    expect(csp).toMatch(/connect-src 'self'/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBeDefined();
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await send(server.baseUrl, 'OPTIONS', '/api/commands', {
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('login brute force, expiry and tokens for /metrics', () => {
  let server: RunningServer;
  const SCRAPE_TOKEN = 'scrape-token-0123456789';
  const CONFIG = `auth:\n  tokenHours: 0.0003\n  scrapeToken: ${SCRAPE_TOKEN}\n`;

  beforeAll(async () => {
    server = await startServer({ auth: false, env: { VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD }, config: CONFIG });
  });

  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  it('answers the 6th attempt in a minute for one username with 429, logging each failure without the password', async () => {
    // A successful login clears that (IP, username)'s failures.
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(
        (await postJson(server.baseUrl, '/api/auth/login', { username: 'admin', password: `early-guess-${attempt}` }, NO_AUTH)).status,
      ).toBe(401);
    }
    expect((await postJson(server.baseUrl, '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, NO_AUTH)).status).toBe(200);
    const before = await logPosition(server.baseUrl);
    const statuses: number[] = [];
    let tooMany: JsonResponse<ErrorBody> | undefined;
    for (let attempt = 1; attempt <= 6; attempt++) {
      const response = await postJson<ErrorBody>(
        server.baseUrl,
        '/api/auth/login',
        { username: 'admin', password: `guess-number-${attempt}` },
        NO_AUTH,
      );
      statuses.push(response.status);
      if (response.status === 429) tooMany = response;
      else expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'invalid username or password' });
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(tooMany!.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(tooMany!.body.message).toMatch(/too many login attempts/);
    expect(Number(tooMany!.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right password waits now.
    expect((await postJson(server.baseUrl, '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, NO_AUTH)).status).toBe(429);
    // Five failures, five events; the 429s wrote nothing.
    expect(await logPosition(server.baseUrl)).toBe(before + 5);

    // Another username from the same IP is not blocked by this one's failures.
    const unknown = await postJson<ErrorBody>(
      server.baseUrl,
      '/api/auth/login',
      { username: 'nobody', password: 'secret-guess-1' },
      NO_AUTH,
    );
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toBe('invalid username or password');
  });

  it('keeps every failed attempt in the log with the username and reason, never the password', async () => {
    // The admin is locked out from this IP for a minute: add a second admin with the CLI
    // (server stopped, so this does not depend on the store following another writer).
    await server.stop();
    const add = spawnSync(process.execPath, [CLI, 'user', 'add', 'auditor', '--role', 'admin'], {
      env: { ...process.env, VIGIL_DATA_DIR: server.dataDir, VIGIL_CONFIG: join(server.dataDir, 'vigil.config.yaml') },
      input: 'auditor-password-1\n',
      encoding: 'utf8',
    });
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    server = await startServer({ auth: false, dataDir: server.dataDir, config: CONFIG });
    const auditor = await loginAs(server.baseUrl, 'auditor', 'auditor-password-1');
    const failures = await eventsOfType(server.baseUrl, auditor.accessToken, 'user.login-failed', (events) => events.length >= 10);
    const hashed = (failures.at(-1)?.data as { username?: string } | undefined)?.username;
    expect(failures.map((event) => event.data)).toEqual([
      ...Array.from({ length: 4 }, () => ({ username: 'admin', reason: 'wrong password' })),
      { username: 'admin', reason: 'wrong password' },
      { username: 'admin', reason: 'wrong password' },
      { username: 'admin', reason: 'wrong password' },
      { username: 'admin', reason: 'wrong password' },
      { username: 'admin', reason: 'wrong password' },
      // An unknown name is kept only as a short keyed hash (it may be a mistyped password).
      { username: hashed, reason: 'unknown user' },
    ]);
    expect(hashed).toMatch(/^#[0-9a-f]{12}$/);
    expect(JSON.stringify(failures)).not.toMatch(/guess-number|secret-guess|early-guess/);
    expect(failures.every((event) => event.meta.actor?.username === 'anonymous' && (event.meta.ip ?? '').includes('127.0.0.1'))).toBe(true);
  });

  it('limits login attempts per IP across usernames too', async () => {
    let first429 = 0;
    for (let attempt = 1; attempt <= 40 && first429 === 0; attempt++) {
      const response = await postJson(
        server.baseUrl,
        '/api/auth/login',
        { username: `sweep-${attempt}`, password: 'sweeping-guess-1' },
        NO_AUTH,
      );
      if (response.status === 429) first429 = attempt;
      else expect(response.status).toBe(401);
    }
    // 30 a minute per IP (a fresh process); the auditor's login above counted as one.
    expect(first429).toBeGreaterThan(1);
    expect(first429).toBeLessThanOrEqual(30);
  });

  it('refuses an expired token (tokenHours 0.0003 ≈ 1 s) without writing anything', async () => {
    // Fresh process: the per-IP login window of the previous test is in memory only.
    await server.stop();
    server = await startServer({ auth: false, dataDir: server.dataDir, config: CONFIG });
    const session = await loginAs(server.baseUrl, 'auditor', 'auditor-password-1');
    expect(session.cookies.find((cookie) => cookie.startsWith('vigil_session='))).toMatch(/Max-Age=1;/);
    await sleep(2200);
    await expectRefused(server, () => getJson<ErrorBody>(server.baseUrl, '/api/auth/me', bearer(session.accessToken)), 401, /expired/);
  });

  it('needs the scrape token on /metrics when auth.scrapeToken is set', async () => {
    const none = await getJson<ErrorBody>(server.baseUrl, '/metrics');
    expect(none.status).toBe(401);
    expect(none.body.statusCode).toBe(401);
    expect((await getJson(server.baseUrl, '/metrics', bearer('wrong-token-0123456789'))).status).toBe(401);
    const ok = await send(server.baseUrl, 'GET', '/metrics', { headers: bearer(SCRAPE_TOKEN) });
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/# TYPE/);
  });
});

describe('metrics ingest with a session', () => {
  let server: RunningServer;
  const CONFIG = [
    'metrics:',
    '  ingestToken: ingest-token-0123456789',
    'roles:',
    '  admin:',
    '    capabilities: [users.manage]',
    '  agent:',
    '    capabilities: [metrics.ingest]',
    '  viewer: {}',
    '',
  ].join('\n');
  const SAMPLES = { samples: [{ source: 'agent-1', values: { load_percent: 12.5 } }] };

  beforeAll(async () => {
    server = await startServer({ auth: false, env: { VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD }, config: CONFIG });
  });

  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  it('takes samples from a role with metrics.ingest, or with the ingest token, and refuses others', async () => {
    const admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
    for (const [username, role] of [
      ['agent', 'agent'],
      ['watcher', 'viewer'],
    ]) {
      const created = await postJson(
        server.baseUrl,
        '/api/users',
        { username, role, password: `${username}-password-1` },
        bearer(admin.accessToken),
      );
      expect(created.status).toBe(201);
    }
    const agent = await loginAs(server.baseUrl, 'agent', 'agent-password-1');
    const watcher = await loginAs(server.baseUrl, 'watcher', 'watcher-password-1');
    expect((await postJson(server.baseUrl, '/api/metrics/ingest', SAMPLES, bearer(agent.accessToken))).status).toBe(202);
    // A cookie session still needs its CSRF token to write.
    const cookie = `vigil_session=${agent.accessToken}`;
    expect((await postJson(server.baseUrl, '/api/metrics/ingest', SAMPLES, { cookie })).status).toBe(401);
    expect((await postJson(server.baseUrl, '/api/metrics/ingest', SAMPLES, { cookie, 'x-csrf-token': agent.csrfToken })).status).toBe(202);
    expect((await postJson(server.baseUrl, '/api/metrics/ingest', SAMPLES, bearer(watcher.accessToken))).status).toBe(401);
    expect((await postJson(server.baseUrl, '/api/metrics/ingest', SAMPLES, bearer(admin.accessToken))).status).toBe(401);
    expect((await postJson(server.baseUrl, '/api/metrics/ingest', SAMPLES, NO_AUTH)).status).toBe(401);
    expect((await postJson(server.baseUrl, '/api/metrics/ingest', SAMPLES, bearer('ingest-token-0123456789'))).status).toBe(202);
  });
});

describe('the vigil CLI', () => {
  let dataDir: string;
  const configPath = join(ROOT, 'vigil.config.yaml');
  const run = (args: string[], input?: string) =>
    spawnSync(process.execPath, [CLI, ...args], {
      env: { ...process.env, VIGIL_DATA_DIR: dataDir, VIGIL_CONFIG: configPath },
      ...(input === undefined ? { stdio: ['ignore', 'pipe', 'pipe'] as const } : { input }),
      encoding: 'utf8',
    });

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("adds users to a stopped server's log, who can then log in", async () => {
    // First start creates the admin, then the server stops.
    const first = await startServer({ auth: false, dataDir, env: { VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    await first.stop();

    const piped = run(['user', 'add', 'carol', '--role', 'operator'], 'carol-password-1\n');
    expect(piped.stderr).toBe('');
    expect(piped.status).toBe(0);
    expect(piped.stdout).toMatch(/created user "carol" \(role operator/);
    expect(piped.stdout).not.toMatch(/carol-password-1/);

    const generated = run(['user', 'add', 'dave', '--role', 'viewer']);
    expect(generated.status).toBe(0);
    const davePassword = /password: (\S+)/.exec(generated.stdout)?.[1];
    expect(davePassword).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const duplicate = run(['user', 'add', 'carol', '--role', 'viewer'], 'another-password-1');
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toMatch(/already exists/);
    const badRole = run(['user', 'add', 'erin', '--role', 'root'], 'erin-password-123');
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toMatch(/unknown role "root"/);
    expect(run(['user', 'add', 'frank', '--role', 'viewer'], 'short').status).toBe(2);
    expect(run(['frobnicate']).status).toBe(2);

    const list = run(['user', 'list']);
    expect(list.status).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^USERNAME\s+ROLE\s+STATUS/);
    expect(list.stdout).toMatch(/^admin\s+admin\s+active/m);
    expect(list.stdout).toMatch(/^carol\s+operator\s+active/m);
    expect(list.stdout).toMatch(/^dave\s+viewer\s+active/m);

    const server = await startServer({ auth: false, dataDir });
    try {
      const carol = await loginAs(server.baseUrl, 'carol', 'carol-password-1');
      expect(carol.user).toMatchObject({ username: 'carol', role: 'operator' });
      const dave = await loginAs(server.baseUrl, 'dave', davePassword!);
      expect(dave.user.role).toBe('viewer');
      // Starting again with users present creates no second admin.
      expect(server.output()).not.toMatch(/created the first user/);
    } finally {
      await server.stop();
    }
  }, 120_000); // two server starts and eight CLI runs: well over jest's 30 s on a loaded machine
});
