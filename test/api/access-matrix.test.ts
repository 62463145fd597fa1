import { expect } from '@jest/globals';
import { can, DEFAULT_ROLES, roleSchema, type Action, type EnvironmentsResponse, type SessionUser } from '@vigil/shared';
import { finished } from '../support/commands';
import { getJson, postJson, send } from '../support/http';
import { login, startServer, type RunningServer, type TestSession } from '../support/server';
import { SseClient } from '../support/sse-client';

const ENVIRONMENTS = ['production', 'staging'] as const;
const INGEST_TOKEN = 'matrix-ingest-token-0123456789';

/** The default roles plus one that may only see staging: the matrix is generated from these. */
const ROLES = { ...DEFAULT_ROLES, 'staging-viewer': { description: 'Sees staging only.', environments: ['staging'] } };
const PASSWORD = 'matrix-password-0123';

// A harmless service: a process that idles, with a deploy step that does nothing.
const service = `
      - name: web-server
        command: node
        args: ["-e", "setInterval(() => {}, 1000)"]
        instances: 0
        maxInstances: 1
        stopGraceSeconds: 1
        deploy: { command: node, args: ["-e", ""] }`;

const CONFIG = `
environments:
  - name: production
    services:${service}
  - name: staging
    services:${service}
  - name: sandbox
    label: Sandbox (no services yet)
roles: ${JSON.stringify(ROLES)}
metrics:
  ingestToken: ${INGEST_TOKEN}
`;

function userFor(role: string): Pick<SessionUser, 'grants'> {
  return { grants: roleSchema.parse(ROLES[role as keyof typeof ROLES]) };
}

function expected(role: string, action: Action, allowed: number): number {
  return can(userFor(role), action) ? allowed : 403;
}

const bearer = (session: TestSession): Record<string, string> => ({ authorization: `Bearer ${session.accessToken}` });

describe('access control: every role × endpoint × environment', () => {
  let server: RunningServer;
  const sessions = new Map<string, TestSession>();
  const pingIn = new Map<string, string>();

  beforeAll(async () => {
    server = await startServer({ config: CONFIG });
    for (const role of Object.keys(ROLES)) {
      const username = `${role}-user`;
      const created = await postJson(server.baseUrl, '/api/users', { username, role, password: PASSWORD });
      expect(created.status).toBe(201);
      sessions.set(role, await login(server.baseUrl, username, PASSWORD));
    }
    for (const environment of ENVIRONMENTS) {
      const ping = await postJson<{ commandId: string }>(server.baseUrl, '/api/commands', {
        type: 'ping',
        target: 'vigil',
        environment,
        params: {},
      });
      pingIn.set(environment, ping.body.commandId);
    }
  }, 60_000);

  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  const roles = Object.keys(ROLES);
  const cells = roles.flatMap((role) => ENVIRONMENTS.map((environment) => [role, environment] as const));

  it.each(cells)('%s in %s: services, stream and command views follow the role', async (role, environment) => {
    const headers = bearer(sessions.get(role)!);
    const view: Action = { kind: 'view', environment };
    expect((await getJson(server.baseUrl, `/api/services?environment=${environment}`, headers)).status).toBe(expected(role, view, 200));
    expect((await getJson(server.baseUrl, `/api/commands/${pingIn.get(environment)}`, headers)).status).toBe(expected(role, view, 200));
    const stream = await SseClient.connect(server.baseUrl, `/api/stream?environment=${environment}`, headers);
    expect(stream.status).toBe(expected(role, view, 200));
    stream.close();
  });

  it.each(roles)('%s: GET /api/environments lists the configured environments it may view, services or not', async (role) => {
    const configured = [{ name: 'production' }, { name: 'staging' }, { name: 'sandbox', label: 'Sandbox (no services yet)' }];
    const { status, body } = await getJson<EnvironmentsResponse>(server.baseUrl, '/api/environments', bearer(sessions.get(role)!));
    expect(status).toBe(200);
    expect(body.environments).toEqual(configured.filter((env) => can(userFor(role), { kind: 'view', environment: env.name })));
    if (role === 'admin') expect(body.environments.map((env) => env.name)).toContain('sandbox');
    if (role === 'staging-viewer') expect(body.environments).toEqual([{ name: 'staging' }]);
  });

  it('GET /api/environments needs a session', async () => {
    expect((await send(server.baseUrl, 'GET', '/api/environments', { headers: { authorization: 'Bearer nonsense' } })).status).toBe(401);
  });

  it.each(cells)(
    '%s in %s: commands are allowed or denied (403 + command.denied) as the role says',
    async (role, environment) => {
      const headers = bearer(sessions.get(role)!);
      for (const [type, params] of [
        ['logs', { lines: 5 }],
        ['deploy', { version: '1.2.3' }],
        ['ping', {}],
      ] as const) {
        const target = type === 'ping' ? 'vigil' : 'web-server';
        const action: Action = { kind: 'command', type, target, environment };
        const response = await postJson<{ commandId?: string; details?: { commandId: string } }>(
          server.baseUrl,
          '/api/commands',
          { type, target, environment, params },
          headers,
        );
        expect([type, response.status]).toEqual([type, expected(role, action, 202)]);
        // One command per target at a time: let an allowed deploy finish before the next cell's.
        if (response.status === 202 && type === 'deploy') await finished(server.baseUrl, response.body.commandId!, 30_000);
        if (response.status === 403) {
          // The attempt is on the record, with who tried.
          const denied = await getJson<{ state: string; actor: { username: string } }>(
            server.baseUrl,
            `/api/commands/${response.body.details!.commandId}`,
          );
          expect(denied.body).toMatchObject({ state: 'denied', actor: { username: `${role}-user` } });
        }
      }
    },
    60_000,
  );

  it.each(roles)('%s: capability routes (audit, users) follow the role', async (role) => {
    const headers = bearer(sessions.get(role)!);
    expect((await getJson(server.baseUrl, '/api/audit', headers)).status).toBe(
      expected(role, { kind: 'capability', capability: 'audit.read' }, 200),
    );
    expect((await getJson(server.baseUrl, '/api/audit/verify', headers)).status).toBe(
      expected(role, { kind: 'capability', capability: 'audit.read' }, 200),
    );
    expect((await getJson(server.baseUrl, '/api/users', headers)).status).toBe(
      expected(role, { kind: 'capability', capability: 'users.manage' }, 200),
    );
    expect((await getJson(server.baseUrl, '/api/health', { authorization: '' })).status).toBe(200);
  });

  it.each(roles)('%s: an unfiltered stream carries only what the role may see (snapshot, catch-up and live)', async (role) => {
    const user = userFor(role);
    const headers = bearer(sessions.get(role)!);
    const live = await SseClient.connect(server.baseUrl, '/api/stream', headers);
    const catchUp = await SseClient.connect(server.baseUrl, '/api/stream', { ...headers, 'last-event-id': '0' });
    await live.waitFor('snapshot', (m) => m.length >= 1);
    const snapshot = live.messages[0].json.state as {
      commands: { environment: string }[];
      services: Record<string, { environment: string }>;
    };
    for (const command of snapshot.commands) expect(can(user, { kind: 'view', environment: command.environment })).toBe(true);
    for (const view of Object.values(snapshot.services)) expect(can(user, { kind: 'view', environment: view.environment })).toBe(true);

    // Mixed traffic: both environments, a user event, metrics of both environments.
    const pings = new Map<string, string>();
    for (const environment of ENVIRONMENTS) {
      const ping = await postJson<{ commandId: string }>(server.baseUrl, '/api/commands', {
        type: 'ping',
        target: 'vigil',
        environment,
        params: {},
      });
      pings.set(environment, ping.body.commandId);
    }
    await postJson(server.baseUrl, '/api/users', { username: `extra-${role}`, role: 'viewer', password: PASSWORD });
    await postJson(
      server.baseUrl,
      '/api/metrics/ingest',
      { samples: ENVIRONMENTS.map((environment) => ({ source: 'probe', environment, values: { x: 1 } })) },
      { authorization: `Bearer ${INGEST_TOKEN}` },
    );
    const staging = pings.get('staging')!;
    const completedFor = (client: SseClient, commandId: string): boolean =>
      client.events.some((m) => m.json.type === 'command.completed' && (m.json.data as { commandId: string }).commandId === commandId);
    await live.waitFor('the staging ping to complete', () => completedFor(live, staging));
    await live.waitFor('a probe sample', (m) => m.some((message) => message.json.type === 'metrics' && message.json.source === 'probe'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const seesProduction = can(user, { kind: 'view', environment: 'production' });
    expect(completedFor(live, pings.get('production')!)).toBe(seesProduction);
    const canSeeUsers = can(user, { kind: 'capability', capability: 'users.manage' });
    expect(live.events.some((m) => m.json.type === 'user.created')).toBe(canSeeUsers);
    for (const client of [live, catchUp]) {
      for (const message of client.messages) {
        const json = message.json as {
          type: string;
          meta?: { environment?: string };
          environment?: string;
          data?: { passwordHash?: string };
        };
        if (json.type.startsWith('user.')) {
          expect(canSeeUsers).toBe(true);
          expect(json.data?.passwordHash).toBeUndefined();
        } else if (json.type === 'metrics') {
          if (json.environment) expect(can(user, { kind: 'view', environment: json.environment })).toBe(true);
        } else if (json.meta?.environment) {
          expect(can(user, { kind: 'view', environment: json.meta.environment })).toBe(true);
        }
      }
    }
    live.close();
    catchUp.close();
  });

  it("a staging viewer's stream over a long mixed run (10 minutes' worth, compressed) never shows production", async () => {
    const headers = bearer(sessions.get('staging-viewer')!);
    const stream = await SseClient.connect(server.baseUrl, '/api/stream', headers);
    await stream.waitFor('snapshot', (m) => m.length >= 1);
    // About what 10 minutes of a busy fleet produce: a command or a sample burst every second.
    for (let second = 0; second < 600; second++) {
      const environment = ENVIRONMENTS[second % 2];
      if (second % 3 === 0) {
        await postJson(server.baseUrl, '/api/commands', { type: 'ping', target: 'vigil', environment, params: {} });
      } else {
        await postJson(
          server.baseUrl,
          '/api/metrics/ingest',
          { samples: [{ source: `svc-${second % 7}`, environment, values: { load: second } }] },
          { authorization: `Bearer ${INGEST_TOKEN}` },
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const leaked = stream.messages.filter((m) => {
      const json = m.json as { meta?: { environment?: string }; environment?: string; type: string };
      return json.meta?.environment === 'production' || json.environment === 'production' || json.type.startsWith('user.');
    });
    expect(leaked).toEqual([]);
    expect(stream.events.length).toBeGreaterThan(300); // it did see the staging half
    stream.close();
  }, 120_000);

  it("closes the oldest of a user's streams past the per-user limit, and all of them on a role change", async () => {
    const created = await postJson<{ id: string }>(server.baseUrl, '/api/users', {
      username: 'limit-user',
      role: 'viewer',
      password: PASSWORD,
    });
    const session = await login(server.baseUrl, 'limit-user', PASSWORD);
    const streams: SseClient[] = [];
    for (let i = 0; i < 6; i++) {
      const stream = await SseClient.connect(server.baseUrl, '/api/stream', bearer(session));
      await stream.waitFor('snapshot', (m) => m.length >= 1);
      streams.push(stream);
    }
    await streams[0].waitForEnd();
    expect(streams[0].messages.at(-1)?.json).toMatchObject({ type: 'closed', reason: expect.stringMatching(/too many open streams/) });
    expect(streams.slice(1).every((stream) => !stream.ended)).toBe(true);

    const changed = await send(server.baseUrl, 'PATCH', `/api/users/${created.body.id}`, {
      body: JSON.stringify({ role: 'staging-viewer' }),
    });
    expect(changed.status).toBe(200);
    for (const stream of streams.slice(1)) {
      await stream.waitForEnd();
      expect(stream.messages.at(-1)?.json.type).toBe('closed');
    }
    // The new role applies to the very next request.
    expect((await getJson(server.baseUrl, '/api/services?environment=production', bearer(session))).status).toBe(403);
  });
});

/** Agents: a grant may be limited to hosts by glob; the matrix of roles × hosts, from can(). */
describe('access control: command grants by host glob', () => {
  const HOST_ROLES = {
    ...DEFAULT_ROLES,
    'edge-operator': {
      description: 'Runs anything on the edge hosts only.',
      environments: ['*'],
      commands: [{ types: ['*'], targets: ['*'], environments: ['*'], hosts: ['edge-*'] }],
    },
  };
  const HOST_CONFIG = `
environments:
  - name: staging
    services:${service}
roles: ${JSON.stringify(HOST_ROLES)}
`;
  // Declared through the agent protocol itself (no agent process needed to be refused or accepted).
  const declared = (name: string) => ({ name, command: 'node', args: ['-e', 'setInterval(() => {}, 1000)'], instances: 0 });
  const HOSTS = { 'edge-1': 'edge-app', 'core-1': 'core-app' } as const;
  let server: RunningServer;
  const sessions = new Map<string, TestSession>();

  beforeAll(async () => {
    server = await startServer({ config: HOST_CONFIG });
    for (const [host, serviceName] of Object.entries(HOSTS)) {
      const enrolled = await postJson<{ token: string }>(server.baseUrl, '/api/hosts', { name: host, labels: {} });
      const hello = await postJson(
        server.baseUrl,
        '/api/agent/hello',
        { agentVersion: 'matrix', environments: [{ name: 'staging', services: [declared(serviceName)] }] },
        { authorization: `Bearer ${enrolled.body.token}`, 'x-vigil-host': host },
      );
      expect(hello.status).toBe(200);
    }
    for (const role of Object.keys(HOST_ROLES)) {
      await postJson(server.baseUrl, '/api/users', { username: `${role}-user`, role, password: PASSWORD });
      sessions.set(role, await login(server.baseUrl, `${role}-user`, PASSWORD));
    }
  }, 60_000);

  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  const targets = [
    ['edge-app', 'edge-1'],
    ['core-app', 'core-1'],
    ['web-server', undefined],
  ] as const;
  const hostCells = Object.keys(HOST_ROLES).flatMap((role) => targets.map(([target, host]) => [role, target, host] as const));

  it.each(hostCells)('%s: logs of %s (host %s) follow the host globs of its grants', async (role, target, host) => {
    const user = { grants: roleSchema.parse(HOST_ROLES[role as keyof typeof HOST_ROLES]) };
    const action: Action = { kind: 'command', type: 'logs', target, environment: 'staging', ...(host ? { host } : {}) };
    const session = sessions.get(role)!;
    const answer = await postJson<{ message: string }>(
      server.baseUrl,
      '/api/commands',
      { type: 'logs', target, environment: 'staging', params: { lines: 1 } },
      bearer(session),
    );
    expect(answer.status).toBe(can(user, action) ? 202 : 403);
    // The glob itself, not only can()'s word for it: edge-operator reaches the edge host only.
    if (role === 'edge-operator') expect(answer.status).toBe(host === 'edge-1' ? 202 : 403);
    if (answer.status === 403) expect(answer.body.message).toContain(`may not run logs on ${target}`);
  });

  it.each(Object.keys(HOST_ROLES))('%s: enrolling and revoking hosts needs hosts.manage', async (role) => {
    const user = { grants: roleSchema.parse(HOST_ROLES[role as keyof typeof HOST_ROLES]) };
    const allowed = can(user, { kind: 'capability', capability: 'hosts.manage' });
    const session = sessions.get(role)!;
    const enrol = await postJson(server.baseUrl, '/api/hosts', { name: `by-${role}`, labels: {} }, bearer(session));
    expect(enrol.status).toBe(allowed ? 201 : 403);
    const revoke = await send(server.baseUrl, 'DELETE', '/api/hosts/edge-1', { headers: bearer(session) });
    expect(revoke.status).toBe(allowed ? 204 : 403);
    if (allowed) return;
    expect((await getJson(server.baseUrl, '/api/hosts', bearer(session))).status).toBe(200);
  });
});
