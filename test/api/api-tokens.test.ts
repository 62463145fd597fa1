import type { CreatedToken, StoredEvent, TokenSummary, UserSummary } from '@vigil/shared';
import { eventually, getJson, PING, postJson, send } from '../support/http';
import { runCli } from '../support/cli';
import { startServer, stopServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

/** API tokens against the real server: scopes narrow the owner's role, revocation and expiry, the audit trail, the CLI. */

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();
const PROD_PING = { ...PING, environment: 'production' };

let server: RunningServer;
let olga: UserSummary;

async function createToken(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<CreatedToken> {
  const response = await postJson<CreatedToken>(server.baseUrl, '/api/tokens', body, headers);
  if (response.status !== 201) throw new Error(`POST /api/tokens answered ${response.status}: ${response.text}`);
  return response.body;
}

/** Durable events of `types` from the start of the log (read with the admin's session), once `done` holds. */
async function eventsOf(types: string, done: (events: StoredEvent[]) => boolean): Promise<StoredEvent[]> {
  const client = await SseClient.connect(server.baseUrl, `/api/stream?lastEventId=0&types=${encodeURIComponent(types)}`);
  const events = (): StoredEvent[] => client.events.map((message) => message.json as unknown as StoredEvent);
  try {
    expect(client.status).toBe(200);
    await client.waitFor(`${types} events`, () => done(events()));
    return events();
  } finally {
    client.close();
  }
}

beforeAll(async () => {
  server = await startServer();
  const created = await postJson<UserSummary>(server.baseUrl, '/api/users', {
    username: 'olga',
    role: 'operator',
    password: 'olga-the-operator-pw',
  });
  expect(created.status).toBe(201);
  olga = created.body;
}, 60_000);

afterAll(async () => {
  await stopServer(server);
});

describe('a token acts as its owner, narrowed by its own grants', () => {
  it("a role narrower than the owner's: what both allow passes, the rest is 403", async () => {
    const { token } = await createToken({ name: 'ci operator', role: 'operator', expiresAt: inDays(1) });
    expect(token).toMatch(/^vgl_[A-Za-z0-9_-]{43}$/);
    expect((await postJson(server.baseUrl, '/api/commands', PING, bearer(token))).status).toBe(202);
    const prod = await postJson<{ message: string }>(server.baseUrl, '/api/commands', PROD_PING, bearer(token));
    expect(prod.status).toBe(403);
    expect(prod.body.message).toContain('token');
    // The admin owner may read the audit trail; this token may not.
    expect((await getJson(server.baseUrl, '/api/audit')).status).toBe(200);
    expect((await getJson(server.baseUrl, '/api/audit', bearer(token))).status).toBe(403);
  });

  it('explicit grants: only the granted command in the granted environment', async () => {
    const grants = {
      environments: ['staging'],
      commands: [{ types: ['ping'], targets: ['vigil'], environments: ['staging'] }],
      capabilities: [],
    };
    const { token } = await createToken({ name: 'pinger', grants, expiresAt: inDays(1) });
    expect((await postJson(server.baseUrl, '/api/commands', PING, bearer(token))).status).toBe(202);
    expect((await postJson(server.baseUrl, '/api/commands', PROD_PING, bearer(token))).status).toBe(403);
    // Viewing production is outside its grants too.
    expect((await getJson(server.baseUrl, '/api/services?environment=production', bearer(token))).status).toBe(403);
    expect((await getJson(server.baseUrl, '/api/services?environment=staging', bearer(token))).status).toBe(200);
  });

  it("a token never widens its owner's role, and the owner's current role still limits it", async () => {
    const wider = await postJson<{ message: string; details: { path: string }[] }>(server.baseUrl, '/api/tokens', {
      name: 'too wide',
      role: 'admin',
      userId: olga.id,
      expiresAt: inDays(1),
    });
    expect(wider.status).toBe(400);
    expect(wider.body.details[0].path).toBe('body.role');
    const { token } = await createToken({ name: 'olga ops', role: 'operator', userId: olga.id, expiresAt: inDays(1) });
    expect((await postJson(server.baseUrl, '/api/commands', PING, bearer(token))).status).toBe(202);
    // Olga demoted to viewer: her operator token can no longer run anything.
    expect((await send(server.baseUrl, 'PATCH', `/api/users/${olga.id}`, { body: JSON.stringify({ role: 'viewer' }) })).status).toBe(200);
    expect((await postJson(server.baseUrl, '/api/commands', PING, bearer(token))).status).toBe(403);
    expect((await send(server.baseUrl, 'PATCH', `/api/users/${olga.id}`, { body: JSON.stringify({ role: 'operator' }) })).status).toBe(200);
    expect((await postJson(server.baseUrl, '/api/commands', PING, bearer(token))).status).toBe(202);
  });

  it('a token cannot create a token wider than itself', async () => {
    const { token } = await createToken({ name: 'narrow parent', role: 'operator', expiresAt: inDays(1) });
    const wider = await postJson<{ message: string }>(
      server.baseUrl,
      '/api/tokens',
      { name: 'child', role: 'admin', expiresAt: inDays(1) },
      bearer(token),
    );
    expect(wider.status).toBe(403);
    expect(wider.body.message).toContain('wider than itself');
    const child = await createToken({ name: 'child', role: 'viewer', expiresAt: inDays(1) }, bearer(token));
    expect((await postJson(server.baseUrl, '/api/commands', PING, bearer(child.token))).status).toBe(403);
    expect((await getJson(server.baseUrl, '/api/services', bearer(child.token))).status).toBe(200);
    // Without users.manage in its scope, it cannot make one for someone else either.
    const forOlga = await postJson(
      server.baseUrl,
      '/api/tokens',
      { name: 'x', role: 'viewer', userId: olga.id, expiresAt: inDays(1) },
      bearer(token),
    );
    expect(forOlga.status).toBe(403);
  });
});

describe('revoked and expired tokens', () => {
  it('a revoked token is refused from the next request on, and its stream closes', async () => {
    const created = await createToken({ name: 'short lived', role: 'viewer', expiresAt: inDays(1) });
    expect((await getJson(server.baseUrl, '/api/services', bearer(created.token))).status).toBe(200);
    const stream = await SseClient.connect(server.baseUrl, '/api/stream', bearer(created.token));
    expect(stream.status).toBe(200);
    const revoke = await send(server.baseUrl, 'DELETE', `/api/tokens/${created.id}`);
    expect(revoke.status).toBe(204);
    const refused = await getJson<{ message: string }>(server.baseUrl, '/api/services', bearer(created.token));
    expect(refused.status).toBe(401);
    expect(refused.body.message).toContain('revoked');
    await stream.waitFor('the stream to end', () => stream.ended);
    const listed = await getJson<TokenSummary[]>(server.baseUrl, '/api/tokens');
    expect(listed.body.find((token) => token.id === created.id)?.state).toBe('revoked');
    const ofThisToken = (event: StoredEvent): boolean => event.type === 'token.revoked' && event.data.tokenId === created.id;
    const events = await eventsOf('token.revoked', (list) => list.some(ofThisToken));
    expect(events.find(ofThisToken)?.meta.actor?.username).toBe('admin');
  });

  it('an expired token is refused', async () => {
    const created = await createToken({ name: 'expiring', role: 'viewer', expiresAt: new Date(Date.now() + 1500).toISOString() });
    const answer = await eventually('the token to expire', async () => {
      const response = await getJson<{ message: string }>(server.baseUrl, '/api/services', bearer(created.token));
      return response.status === 401 ? response : undefined;
    });
    expect(answer.body.message).toContain('expired');
  });
});

describe('the audit trail and the list', () => {
  it('names the token and its owner on what the token did; lists last use, never the secret or its hash', async () => {
    const created = await createToken({ name: 'deploy bot', role: 'operator', expiresAt: inDays(30) });
    const accepted = await postJson<{ commandId: string }>(server.baseUrl, '/api/commands', PING, bearer(created.token));
    expect(accepted.status).toBe(202);
    const events = await eventsOf('command.accepted,token.created', (list) =>
      list.some((event) => event.type === 'command.accepted' && event.data.commandId === accepted.body.commandId),
    );
    const command = events.find((event) => event.type === 'command.accepted' && event.data.commandId === accepted.body.commandId);
    expect(command?.meta.actor?.username).toBe('admin');
    expect(command?.meta.token).toEqual({ id: created.id, name: 'deploy bot' });
    const createdEvent = events.find((event) => event.type === 'token.created' && event.data.tokenId === created.id);
    expect(createdEvent).toBeDefined();
    expect(JSON.stringify(createdEvent)).not.toContain('tokenHash');

    const list = await getJson<TokenSummary[]>(server.baseUrl, '/api/tokens');
    const mine = list.body.find((token) => token.id === created.id);
    expect(mine).toMatchObject({ name: 'deploy bot', ownerUsername: 'admin', role: 'operator', state: 'active' });
    expect(mine?.lastUsedAt).toBeDefined();
    expect(list.text).not.toContain(created.token);
    expect(list.text).not.toContain('tokenHash');
  });

  it("olga sees only her own tokens and cannot revoke the admin's", async () => {
    const admins = await createToken({ name: 'admin only', role: 'viewer', expiresAt: inDays(1) });
    const login = await postJson<{ accessToken: string }>(
      server.baseUrl,
      '/api/auth/login',
      { username: 'olga', password: 'olga-the-operator-pw' },
      { authorization: '' },
    );
    const asOlga = bearer(login.body.accessToken);
    const list = await getJson<TokenSummary[]>(server.baseUrl, '/api/tokens', asOlga);
    expect(list.status).toBe(200);
    expect(list.body.every((token) => token.ownerId === olga.id)).toBe(true);
    expect((await send(server.baseUrl, 'DELETE', `/api/tokens/${admins.id}`, { headers: asOlga })).status).toBe(404);
    expect((await getJson(server.baseUrl, `/api/tokens?userId=${admins.summary.ownerId}`, asOlga)).status).toBe(403);
  });
});

describe('bad input', () => {
  it.each([
    ['no name', { role: 'viewer', expiresAt: inDays(1) }],
    ['both role and grants', { name: 'x', role: 'viewer', grants: { environments: ['*'] }, expiresAt: inDays(1) }],
    ['neither role nor grants', { name: 'x', expiresAt: inDays(1) }],
    ['an expiry in the past', { name: 'x', role: 'viewer', expiresAt: '2020-01-01T00:00:00Z' }],
    ['an expiry too far ahead', { name: 'x', role: 'viewer', expiresAt: inDays(5000) }],
    ['an unknown role', { name: 'x', role: 'wizard', expiresAt: inDays(1) }],
    ['an unknown key', { name: 'x', role: 'viewer', expiresAt: inDays(1), admin: true }],
    ['a capability that does not exist', { name: 'x', grants: { capabilities: ['root'] }, expiresAt: inDays(1) }],
  ])('%s is a 400 with details', async (_what, body) => {
    const response = await postJson<{ statusCode: number; details?: unknown[] }>(server.baseUrl, '/api/tokens', body);
    expect(response.status).toBe(400);
    expect(response.body.details?.length).toBeGreaterThan(0);
  });

  it('other bad requests', async () => {
    expect((await send(server.baseUrl, 'POST', '/api/tokens', { body: '{"name":' })).status).toBe(400);
    expect((await send(server.baseUrl, 'DELETE', '/api/tokens/not-a-uuid')).status).toBe(400);
    expect((await send(server.baseUrl, 'DELETE', '/api/tokens/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await getJson(server.baseUrl, '/api/tokens?userId=nope')).status).toBe(400);
    const unknown = await getJson<{ message: string }>(server.baseUrl, '/api/services', bearer('vgl_not-a-real-token'));
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toBe('unknown API token');
    const forNobody = await postJson(server.baseUrl, '/api/tokens', {
      name: 'x',
      role: 'viewer',
      userId: '00000000-0000-4000-8000-000000000000',
      expiresAt: inDays(1),
    });
    expect(forNobody.status).toBe(404);
    const { token } = await createToken({ name: 'no logout', role: 'viewer', expiresAt: inDays(1) });
    expect((await postJson(server.baseUrl, '/api/auth/logout', {}, bearer(token))).status).toBe(400);
    // The server is still fine.
    expect((await getJson(server.baseUrl, '/api/health')).status).toBe(200);
  });
});

describe('vigil token add', () => {
  it('makes the first token from the command line, against the running server', async () => {
    const result = await runCli(['token', 'add', 'bootstrap', '--user', 'admin', '--role', 'operator', '--expires', '7d'], server.dataDir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const token = /^(vgl_\S+)$/m.exec(result.stdout)?.[1];
    expect(token).toBeDefined();
    // The server takes in the CLI's append within moments.
    await eventually('the CLI token to work', async () =>
      (await getJson(server.baseUrl, '/api/services', bearer(token ?? ''))).status === 200 ? true : undefined,
    );
    expect((await postJson(server.baseUrl, '/api/commands', PROD_PING, bearer(token ?? ''))).status).toBe(403);

    const wider = await runCli(['token', 'add', 'x', '--user', 'olga', '--role', 'admin'], server.dataDir);
    expect(wider.status).toBe(2);
    expect(wider.stderr).toContain('wider than the owner');
    const nobody = await runCli(['token', 'add', 'x', '--user', 'nobody', '--role', 'viewer'], server.dataDir);
    expect(nobody.status).toBe(2);
  });
});
