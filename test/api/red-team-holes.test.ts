import type { MeResponse, StoredEvent } from '@vigil/shared';
import { createHmac } from 'node:crypto';
import { chmodSync, mkdtempSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getJson, postJson, send } from '../support/http';
import { startServer, stopServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

/** The holes a red team found in the running server (issue 16, item 4): each closed, each tested here. */

const SECRET = 'red-team-test-signing-secret-0123456789';
const NO_AUTH = { authorization: '' };
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function signed(claims: Record<string, unknown>): string {
  const unsigned = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`;
  return `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
}

/** Sends raw bytes and answers everything the server wrote back before closing. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.on('error', () => {
      resolve(answer);
    });
    socket.on('close', () => {
      resolve(answer);
    });
    socket.on('connect', () => {
      socket.write(bytes);
    });
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of answer in 10 s: ${answer}`));
    }, 10_000).unref();
  });
}

function parseRaw(answer: string): { status: number; headers: string; body: unknown } {
  const [head, ...rest] = answer.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers: head.toLowerCase(), body: JSON.parse(rest.join('\r\n\r\n')) };
}

type LoginFailed = StoredEvent<'user.login-failed'>;

async function loginFailures(server: RunningServer, done: (events: LoginFailed[]) => boolean): Promise<LoginFailed[]> {
  const path = '/api/stream?lastEventId=0&types=user.login-failed';
  const client = await SseClient.connect(server.baseUrl, path, bearer(server.admin!.accessToken));
  const events = (): LoginFailed[] => client.events.map((message) => message.json as unknown as LoginFailed);
  try {
    await client.waitFor('login failures', () => done(events()));
    return events();
  } finally {
    client.close();
  }
}

describe('holes found by the red team', () => {
  let server: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-holes-'));
    // An existing data dir others may read: the server must narrow it.
    chmodSync(dataDir, 0o755);
    server = await startServer({ dataDir, env: { VIGIL_JWT_SECRET: SECRET } });
  });

  afterAll(async () => {
    await stopServer(server);
  });

  it('ends a session issued in the same second as a password change', async () => {
    const created = await postJson<{ id: string }>(server.baseUrl, '/api/users', {
      username: 'sam',
      role: 'viewer',
      password: 'sam-password-0',
    });
    expect(created.status).toBe(201);
    let password = 'sam-password-0';
    let sameSecond = 0;
    for (let attempt = 1; attempt <= 5 && sameSecond === 0; attempt++) {
      // Start right after a second begins, so login and change likely share it.
      while (Date.now() % 1000 > 50) await new Promise((resolve) => setTimeout(resolve, 5));
      const before = Date.now();
      const session = await postJson<{ accessToken: string }>(server.baseUrl, '/api/auth/login', { username: 'sam', password }, NO_AUTH);
      expect(session.status).toBe(200);
      password = `sam-password-${attempt}`;
      const change = await send(server.baseUrl, 'PATCH', `/api/users/${created.body.id}`, { body: JSON.stringify({ password }) });
      expect(change.status).toBe(200);
      if (Math.floor(before / 1000) === Math.floor(Date.now() / 1000)) sameSecond += 1;
      const stale = await getJson<{ message: string }>(server.baseUrl, '/api/auth/me', bearer(session.body.accessToken));
      expect(stale.status).toBe(401);
      expect(stale.body.message).toMatch(/password changed/);
    }
    // The login's iat and the change's time fell in one second at least once: the hole's case.
    expect(sameSecond).toBeGreaterThan(0);
    const fresh = await postJson<{ accessToken: string }>(server.baseUrl, '/api/auth/login', { username: 'sam', password }, NO_AUTH);
    expect((await getJson(server.baseUrl, '/api/auth/me', bearer(fresh.body.accessToken))).status).toBe(200);
  });

  it('answers 401, not 500, for a validly signed token with a huge exp', async () => {
    const me = (await getJson<MeResponse>(server.baseUrl, '/api/auth/me')).body;
    const now = Math.floor(Date.now() / 1000);
    const token = signed({ sub: me.user.id, username: 'admin', jti: 'huge-exp', iat: now, exp: 1e20 });
    const response = await getJson<{ statusCode: number; message: string }>(server.baseUrl, '/api/auth/me', bearer(token));
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: 'invalid session token' });
    // The same key and claims with a sane exp are accepted: only the exp was wrong.
    const sane = signed({ sub: me.user.id, username: 'admin', jti: 'sane-exp', iat: now, exp: now + 60 });
    expect((await getJson(server.baseUrl, '/api/auth/me', bearer(sane))).status).toBe(200);
  });

  it('believes no X-Forwarded-For by default: the throttle and the audit see the real address, and 429 sends Retry-After', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof postJson>> | undefined;
    for (let attempt = 1; attempt <= 6; attempt++) {
      last = await postJson(
        server.baseUrl,
        '/api/auth/login',
        { username: 'admin', password: `forged-guess-${attempt}` },
        { ...NO_AUTH, 'x-forwarded-for': `198.51.100.${attempt}` },
      );
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(last!.headers['retry-after'])).toBeLessThanOrEqual(60);
    const failures = await loginFailures(server, (events) => events.filter((e) => e.data.username === 'admin').length >= 5);
    const ips = failures.filter((event) => event.data.username === 'admin').map((event) => event.meta.ip ?? '');
    expect(ips.every((ip) => ip.endsWith('127.0.0.1'))).toBe(true);
  });

  it('records a short hash, not the typed text, for a username that matches no user', async () => {
    const typed = 'Correct Horse Battery Staple 42';
    expect((await postJson(server.baseUrl, '/api/auth/login', { username: typed, password: 'whatever-1' }, NO_AUTH)).status).toBe(401);
    const failures = await loginFailures(server, (events) => events.some((e) => e.data.reason === 'unknown user'));
    const unknown = failures.filter((event) => event.data.reason === 'unknown user');
    expect(unknown).toHaveLength(1);
    expect(unknown[0].data.username).toMatch(/^#[0-9a-f]{12}$/);
    expect(JSON.stringify(failures).toLowerCase()).not.toContain('horse');
  });

  it('keeps the data dir 0700 and every SQLite file 0600', () => {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const name of ['events.db', 'events.db-wal', 'metrics.db', 'metrics.db-wal', 'projections.db', 'projections.db-wal']) {
      expect([name, statSync(join(dataDir, name)).mode & 0o777]).toEqual([name, 0o600]);
    }
  });

  it("answers the HTTP parser's refusals as JSON: 431 for huge headers, 400 for a malformed request", async () => {
    const huge = parseRaw(
      await rawExchange(server.port, `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`),
    );
    expect(huge.status).toBe(431);
    expect(huge.headers).toContain('content-type: application/json');
    expect(huge.body).toEqual({ statusCode: 431, error: 'Request Header Fields Too Large', message: 'request headers are too large' });
    const malformed = parseRaw(await rawExchange(server.port, 'GET /api/health HTTP/1.1\r\nHost x\r\n\r\n'));
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'malformed HTTP request' });
    // The server is fine afterwards.
    expect((await getJson(server.baseUrl, '/api/health')).status).toBe(200);
  });
});

describe('http.trustProxy for a load balancer on loopback', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ config: 'http:\n  trustProxy: [loopback]\n' });
  });

  afterAll(async () => {
    await stopServer(server);
  });

  it("takes the client address from a trusted proxy's X-Forwarded-For", async () => {
    const answer = await postJson(
      server.baseUrl,
      '/api/auth/login',
      { username: 'admin', password: 'through-the-proxy' },
      { ...NO_AUTH, 'x-forwarded-for': '203.0.113.7' },
    );
    expect(answer.status).toBe(401);
    const [failure] = await loginFailures(server, (events) => events.length >= 1);
    expect(failure.meta.ip).toBe('203.0.113.7');
  });
});
