import type { AuditPage, PendingApproval, StoredEvent } from '@vigil/shared';
import { eventually, getJson, postJson } from '../support/http';
import { login, startServer, stopServer, type RunningServer, type TestSession } from '../support/server';
import { SseClient } from '../support/sse-client';

/** Four-eyes approvals through the API (issue 16, item 3). */

const CONFIG = `
environments:
  - { name: production }
  - { name: staging }
  - { name: dev }
approvals:
  - { commands: [ping], environments: [production], approvers: [admin], expiresMinutes: 60 }
  - { commands: [ping], environments: [staging], approvers: [admin], expiresMinutes: 0.05 }
`;
const PROD_PING = { type: 'ping', target: 'vigil', environment: 'production', params: {} };
const STAGING_PING = { ...PROD_PING, environment: 'staging' };

interface View {
  state: string;
  reason?: string;
  approval?: { approvers: string[]; expiresAt: string; decidedBy?: string };
}
interface ErrorBody {
  statusCode: number;
  message: string;
  details?: { commandId?: string };
}

const bearer = (session: TestSession): Record<string, string> => ({ authorization: `Bearer ${session.accessToken}` });

async function ask(server: RunningServer, session: TestSession, body: object): Promise<string> {
  const response = await postJson<{ commandId: string }>(server.baseUrl, '/api/commands', body, bearer(session));
  expect([response.status, response.text]).toEqual([202, response.text]);
  return response.body.commandId;
}

function view(server: RunningServer, commandId: string): Promise<View> {
  return getJson<View>(server.baseUrl, `/api/commands/${commandId}`).then((response) => response.body);
}

function reaches(server: RunningServer, commandId: string, state: string): Promise<View> {
  return eventually(`command ${commandId} to be ${state}`, async () => {
    const current = await view(server, commandId);
    return current.state === state ? current : undefined;
  });
}

function decide(server: RunningServer, session: TestSession, commandId: string, verb: 'approve' | 'reject', comment?: string) {
  return postJson<ErrorBody & { position?: number }>(
    server.baseUrl,
    `/api/commands/${commandId}/${verb}`,
    comment === undefined ? {} : { comment },
    bearer(session),
  );
}

describe('four-eyes approvals', () => {
  let server: RunningServer;
  let admin: TestSession;
  let bea: TestSession;
  let otto: TestSession;

  beforeAll(async () => {
    server = await startServer({ config: CONFIG });
    admin = server.admin!;
    for (const [username, role] of [
      ['bea', 'admin'],
      ['otto', 'operator'],
    ]) {
      const created = await postJson(server.baseUrl, '/api/users', { username, role, password: `${username}-password-1` });
      expect(created.status).toBe(201);
    }
    bea = await login(server.baseUrl, 'bea', 'bea-password-1');
    otto = await login(server.baseUrl, 'otto', 'otto-password-1');
  });

  afterAll(async () => {
    await stopServer(server);
  });

  it('holds a matching command as awaiting-approval, listed with who asked, what, where and until when', async () => {
    const commandId = await ask(server, admin, PROD_PING);
    const awaiting = await view(server, commandId);
    expect(awaiting.state).toBe('awaiting-approval');
    expect(awaiting.approval?.approvers).toEqual(['admin']);
    const list = await getJson<PendingApproval[]>(server.baseUrl, '/api/approvals', bearer(otto));
    const item = list.body.find((entry) => entry.commandId === commandId);
    expect(item).toMatchObject({ type: 'ping', target: 'vigil', environment: 'production', requestedBy: { username: 'admin' } });
    // expiresAt is set as the request is decided, a moment before it is committed.
    expect(Math.abs(Date.parse(item!.expiresAt) - Date.parse(item!.requestedAt) - 60 * 60_000)).toBeLessThan(1000);
    // A command no rule matches runs as before.
    const plain = await ask(server, admin, { ...PROD_PING, environment: 'dev' });
    expect((await reaches(server, plain, 'completed')).approval).toBeUndefined();
  });

  it('refuses self-approval (403, recorded) and a non-approver (403, recorded); another approver approves and it runs', async () => {
    const commandId = await ask(server, admin, PROD_PING);
    const self = await decide(server, admin, commandId, 'approve');
    expect(self.status).toBe(403);
    expect(self.body.message).toMatch(/your own command/);
    const operator = await decide(server, otto, commandId, 'approve');
    expect(operator.status).toBe(403);
    expect(operator.body.message).toMatch(/needs one of the roles: admin/);
    expect((await view(server, commandId)).state).toBe('awaiting-approval');
    // Both refusals are in the audit trail as denied attempts on this command.
    const audit = await getJson<AuditPage>(server.baseUrl, `/api/audit?target=${commandId}`);
    expect(audit.body.items.map((entry) => [entry.type, entry.actor, entry.outcome]).sort()).toEqual([
      ['approve', 'admin', 'denied'],
      ['approve', 'otto', 'denied'],
    ]);

    const approved = await decide(server, bea, commandId, 'approve', 'looks right');
    expect(approved.status).toBe(200);
    const done = await reaches(server, commandId, 'completed');
    expect(done.approval).toMatchObject({ decidedBy: 'bea' });
    // Decided once: a second decision is a conflict.
    expect((await decide(server, bea, commandId, 'reject')).status).toBe(409);
    const entry = (await getJson<AuditPage>(server.baseUrl, '/api/audit?type=ping&environment=production')).body.items.find(
      (item) => item.commandId === commandId,
    );
    expect(entry).toMatchObject({ actor: 'admin', outcome: 'completed' });
  });

  it('ends on a rejection, and lets the requester withdraw', async () => {
    const commandId = await ask(server, admin, PROD_PING);
    const rejected = await decide(server, bea, commandId, 'reject', 'not during the freeze');
    expect(rejected.status).toBe(200);
    expect(await view(server, commandId)).toMatchObject({ state: 'rejected', reason: 'not during the freeze' });
    expect((await decide(server, bea, commandId, 'approve')).status).toBe(409);

    const mine = await ask(server, admin, PROD_PING);
    expect((await decide(server, admin, mine, 'reject')).status).toBe(200);
    expect(await view(server, mine)).toMatchObject({ state: 'rejected', reason: 'withdrawn by admin' });
    // A non-approver may not reject someone else's request.
    const other = await ask(server, bea, PROD_PING);
    expect((await decide(server, otto, other, 'reject')).status).toBe(403);
  });

  it('expires an unapproved command at its time (the timer), refusing approval afterwards', async () => {
    const commandId = await ask(server, otto, STAGING_PING);
    const expired = await reaches(server, commandId, 'expired');
    expect(expired.reason).toMatch(/not approved within 3 s/);
    expect((await decide(server, bea, commandId, 'approve')).status).toBe(409);
    const list = await getJson<PendingApproval[]>(server.baseUrl, '/api/approvals');
    expect(list.body.some((entry) => entry.commandId === commandId)).toBe(false);
  });

  it('answers 404 for unknown commands and 400 for bad ids and bodies', async () => {
    expect((await decide(server, bea, '00000000-0000-4000-8000-000000000000', 'approve')).status).toBe(404);
    expect((await decide(server, bea, 'not-an-id', 'approve')).status).toBe(400);
    const commandId = await ask(server, admin, PROD_PING);
    const bad = await postJson(server.baseUrl, `/api/commands/${commandId}/approve`, { comment: 7, extra: true }, bearer(bea));
    expect(bad.status).toBe(400);
    expect((await decide(server, admin, commandId, 'reject')).status).toBe(200);
  });

  it('streams the whole exchange in order', async () => {
    const commandId = await ask(server, admin, PROD_PING);
    expect((await decide(server, bea, commandId, 'approve')).status).toBe(200);
    await reaches(server, commandId, 'completed');
    const client = await SseClient.connect(server.baseUrl, '/api/stream?lastEventId=0&types=command.*', bearer(admin));
    try {
      const ofCommand = (): StoredEvent[] =>
        client.events.map((message) => message.json as unknown as StoredEvent).filter((event) => event.stream === `command-${commandId}`);
      await client.waitFor('the command to complete', () => ofCommand().some((event) => event.type === 'command.completed'));
      const lifecycle = ofCommand().filter((event) => event.type !== 'command.output');
      expect(lifecycle.map((event) => [event.type, event.meta.actor?.username])).toEqual([
        ['command.approval-requested', 'admin'],
        ['command.approved', 'bea'],
        ['command.started', 'bea'],
        ['command.completed', 'bea'],
      ]);
      // The claim is `command.started` at the version right after the approval.
      expect(lifecycle.slice(0, 3).map((event) => event.version)).toEqual([1, 2, 3]);
    } finally {
      client.close();
    }
  });
});

describe('approvals across a crash', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ config: CONFIG });
    expect((await postJson(server.baseUrl, '/api/users', { username: 'bea', role: 'admin', password: 'bea-password-1' })).status).toBe(201);
  });

  afterAll(async () => {
    await stopServer(server);
  });

  it('keeps a command awaiting after kill -9, expires one whose time passed while down, and runs the first once approved', async () => {
    const admin = server.admin!;
    const waiting = await ask(server, admin, PROD_PING);
    const overdue = await ask(server, admin, STAGING_PING);
    server.kill('SIGKILL');
    await server.exited;
    // The staging request's 3 s pass while the server is down.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    server = await server.restart();
    expect((await view(server, waiting)).state).toBe('awaiting-approval');
    expect((await view(server, overdue)).state).toBe('expired');
    const list = await getJson<PendingApproval[]>(server.baseUrl, '/api/approvals');
    expect(list.body.map((entry) => entry.commandId)).toEqual([waiting]);
    const bea = await login(server.baseUrl, 'bea', 'bea-password-1');
    expect((await decide(server, bea, waiting, 'approve')).status).toBe(200);
    await reaches(server, waiting, 'completed');
  });
});
