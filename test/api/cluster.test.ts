import { clusterHealth, clusterSettled, startNodes } from '../support/cluster';
import { finished } from '../support/commands';
import { configWith, demoService } from '../support/demo-config';
import { eventually, getJson, PING, postJson } from '../support/http';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { login, stopServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../support/server';
import { SseClient, type SseMessage } from '../support/sse-client';

const INGEST_TOKEN = 'cluster-ingest-token-0123456789';
const CONFIG = configWith(
  {
    staging: [
      { ...demoService({ script: 'worker', name: 'worker-b' }), host: 'b' },
      { ...demoService({ script: 'worker', name: 'worker-c' }), host: 'c' },
    ],
  },
  { metrics: { ingestToken: INGEST_TOKEN } },
);
const logsOf = (target: string) => ({ type: 'logs', target, environment: 'staging', params: { lines: 10 } });
const TERMINAL = ['completed', 'failed', 'interrupted'];

/** Durable positions a client received, in order. */
const positions = (messages: SseMessage[]): number[] => messages.filter((m) => m.id !== undefined).map((m) => Number(m.id));

/**
 * Three Vigil nodes (child processes) on one PostgreSQL database: one log, one
 * leader, commands run by the node that owns their target, sessions and live
 * metrics valid everywhere, and a node killed with SIGKILL in the middle of a burst.
 */
describe('a cluster of three nodes', () => {
  let pg: TestPostgres;
  let database: string;
  let a: RunningServer;
  let b: RunningServer;
  let c: RunningServer;

  beforeAll(async () => {
    pg = await startPostgres();
    database = await pg.createDatabase();
    // All three at once: the first admin must still be created once.
    [a, b, c] = await startNodes(database, ['a', 'b', 'c'], { config: CONFIG });
    await clusterSettled([a, b, c], ['a', 'b', 'c']);
  }, 120_000);

  afterAll(async () => {
    for (const node of [a, b, c]) await stopServer(node);
    await pg.stop();
  });

  it('creates the first admin once although the nodes started together', async () => {
    const { body: users } = await getJson<{ username: string }[]>(c.baseUrl, '/api/users');
    expect(users.filter((user) => user.username === 'admin')).toHaveLength(1);
    // The log itself: replay it from the start, up to a login made now (which comes after everything before it).
    const before = (await clusterHealth(a)).eventLogPosition;
    const stream = await SseClient.connect(b.baseUrl, '/api/stream?types=user.created,user.logged-in', { 'last-event-id': '0' });
    await login(a.baseUrl, 'admin', TEST_ADMIN_PASSWORD);
    await stream.waitFor('the login made now', (m) => m.some((x) => x.json.type === 'user.logged-in' && Number(x.id) > before));
    stream.close();
    expect(stream.events.filter((m) => m.json.type === 'user.created')).toHaveLength(1);
  });

  it('reports each node and the one leader in /api/health', async () => {
    const health = await clusterHealth(b);
    expect(health.node).toEqual({ name: 'b', leader: health.cluster.nodes.find((n) => n.name === 'b')?.leader });
    expect(health.cluster.nodes.map((n) => n.name)).toEqual(['a', 'b', 'c']);
    expect(health.cluster.nodes.filter((n) => n.leader)).toHaveLength(1);
    for (const node of health.cluster.nodes) expect(Number.isNaN(Date.parse(node.lastSeenAt))).toBe(false);
  });

  it('runs a command on the node that owns its target, and every node streams it', async () => {
    const onB = await SseClient.connect(b.baseUrl, '/api/stream?types=command.*');
    const onC = await SseClient.connect(c.baseUrl, '/api/stream?types=command.*');
    await Promise.all([onB.waitFor('snapshot', (m) => m.length > 0), onC.waitFor('snapshot', (m) => m.length > 0)]);

    const logs = await postJson<{ commandId: string }>(a.baseUrl, '/api/commands', logsOf('worker-b'));
    const pong = await postJson<{ commandId: string }>(a.baseUrl, '/api/commands', PING);
    expect([logs.status, pong.status]).toEqual([202, 202]);
    const ended = (client: SseClient, commandId: string) =>
      client.waitFor(`${commandId} to complete`, (m) =>
        m.some((x) => x.json.type === 'command.completed' && (x.json.data as { commandId: string }).commandId === commandId),
      );
    for (const client of [onB, onC]) {
      await ended(client, logs.body.commandId);
      await ended(client, pong.body.commandId);
    }
    // meta.node of command.started: the node that claimed it.
    const startedBy = (commandId: string): string | undefined =>
      (
        onC.events.find((m) => m.json.type === 'command.started' && (m.json.data as { commandId: string }).commandId === commandId)?.json
          .meta as { node?: string } | undefined
      )?.node;
    expect(startedBy(logs.body.commandId)).toBe('b');
    expect(startedBy(pong.body.commandId)).toBe('a');
    // Exactly one claim each.
    for (const id of [logs.body.commandId, pong.body.commandId]) {
      expect(
        onB.events.filter((m) => m.json.type === 'command.started' && (m.json.data as { commandId: string }).commandId === id),
      ).toHaveLength(1);
    }
    onB.close();
    onC.close();
  });

  it('cancels, from any node, a command running on another node', async () => {
    const follow = await postJson<{ commandId: string }>(a.baseUrl, '/api/commands', {
      ...logsOf('worker-b'),
      params: { lines: 1, follow: true, followSeconds: 60 },
    });
    expect(follow.status).toBe(202);
    await eventually('the logs command to run on node b', async () => {
      const view = await getJson<{ state: string }>(c.baseUrl, `/api/commands/${follow.body.commandId}`);
      return view.body.state === 'running' ? true : undefined;
    });
    const cancel = await postJson<{ commandId: string }>(c.baseUrl, '/api/commands', {
      type: 'cancel',
      target: follow.body.commandId,
      environment: 'staging',
      params: {},
    });
    expect(cancel.status).toBe(202);
    expect((await finished(a.baseUrl, follow.body.commandId)).state).toBe('cancelled');
    expect((await finished(a.baseUrl, cancel.body.commandId)).state).toBe('completed');
  });

  it('honours a session made on one node on every node, and a logout everywhere', async () => {
    const session = await login(a.baseUrl, 'admin', TEST_ADMIN_PASSWORD);
    const bearer = { authorization: `Bearer ${session.accessToken}` };
    expect((await getJson(c.baseUrl, '/api/auth/me', bearer)).status).toBe(200);
    expect((await postJson(a.baseUrl, '/api/auth/logout', {}, bearer)).status).toBe(204);
    await eventually(
      'the logout to reach node c',
      async () => ((await getJson(c.baseUrl, '/api/auth/me', bearer)).status === 401 ? true : undefined),
      5_000,
    );
    expect((await getJson(b.baseUrl, '/api/auth/me', bearer)).status).toBe(401);
  });

  it("streams every node's live metrics on every node", async () => {
    const onA = await SseClient.connect(a.baseUrl, '/api/stream?types=metrics');
    await onA.waitFor('host samples of b and c on node a', (m) =>
      ['host@b', 'host@c'].every((source) => m.some((x) => x.json.type === 'metrics' && x.json.source === source)),
    );
    const sample = onA.messages.find((x) => x.json.type === 'metrics' && x.json.source === 'host@c');
    expect(sample?.json.host).toBe('c');
    onA.close();

    // An ingested sample on node b streams on node c.
    const onC = await SseClient.connect(c.baseUrl, '/api/stream?types=metrics');
    await onC.waitFor('snapshot', (m) => m.length > 0);
    const sent = await postJson(
      b.baseUrl,
      '/api/metrics/ingest',
      { samples: [{ source: 'db-1', environment: 'staging', values: { io_queue: 7 } }] },
      { authorization: `Bearer ${INGEST_TOKEN}` },
    );
    expect(sent.status).toBeLessThan(300);
    await onC.waitFor('the ingested sample on node c', (m) => m.some((x) => x.json.type === 'metrics' && x.json.source === 'db-1'));
    onC.close();
  });

  it('answers metrics history the same on every node', async () => {
    const history = await eventually(
      'history of host@b',
      async () => {
        // A window that ended 3 s ago: every node has flushed it into the shared series.
        const to = Date.now() - 3_000;
        const window = `from=${new Date(to - 600_000).toISOString()}&to=${new Date(to).toISOString()}`;
        const query = `/api/metrics/history?metric=load.1m&source=host@b&${window}`;
        const answers = await Promise.all([a, b, c].map((node) => getJson<{ points: unknown[] }>(node.baseUrl, query)));
        return answers.every((x) => x.status === 200 && x.body.points.length > 0) ? answers : undefined;
      },
      15_000,
    );
    expect(history[0].body).toEqual(history[1].body);
    expect(history[0].body).toEqual(history[2].body);
  }, 30_000);

  it('loses no acknowledged command when a node is killed during a burst of 300, and its clients resume on another node', async () => {
    const from = (await clusterHealth(a)).eventLogPosition;
    const onC = await SseClient.connect(c.baseUrl, '/api/stream', { 'last-event-id': String(from) });
    const accepted: string[] = [];
    let sent = 0;
    let killed = false;
    const targets = [a, b, c];
    const bodies = [PING, logsOf('worker-b'), logsOf('worker-c')];
    await Promise.all(
      Array.from({ length: 20 }, async (_, worker) => {
        while (sent < 300) {
          const index = sent++;
          if (index === 100 && !killed) {
            killed = true;
            c.kill('SIGKILL');
          }
          const node = targets[(index + worker) % 3];
          try {
            const response = await postJson<{ commandId: string }>(node.baseUrl, '/api/commands', bodies[index % 3]);
            if (response.status === 202) accepted.push(response.body.commandId);
          } catch {
            // node c is gone: nothing was acknowledged
          }
        }
      }),
    );
    await c.exited;
    expect(accepted.length).toBeGreaterThan(150);

    // Every acknowledged command is in the log and ends.
    for (const commandId of accepted) {
      const view = await finished(a.baseUrl, commandId, 40_000);
      expect(TERMINAL).toContain(view.state);
    }
    const interrupted = await Promise.all(
      accepted.map((id) => getJson<{ state: string; reason?: string }>(b.baseUrl, `/api/commands/${id}`)),
    );
    const reasons = interrupted.filter((x) => x.body.state === 'interrupted').map((x) => x.body.reason ?? '');
    for (const reason of reasons) expect(reason).toMatch(/node c/);

    // The dead node's client resumes on node b with Last-Event-ID: no gap, no duplicate.
    const seenOnC = positions(onC.messages);
    const resumeFrom = onC.lastEventId ?? String(from);
    const end = (await clusterHealth(a)).eventLogPosition;
    const onB = await SseClient.connect(b.baseUrl, '/api/stream', { 'last-event-id': resumeFrom });
    await onB.waitFor('the rest of the log', () => Number(onB.lastEventId ?? resumeFrom) >= end, 30_000);
    onB.close();
    const seen = [...seenOnC, ...positions(onB.messages)].filter((p) => p <= end);
    expect(seen).toEqual(Array.from({ length: end - from }, (_, i) => from + 1 + i));

    const verify = await getJson<{ ok: boolean; checked: number }>(a.baseUrl, '/api/audit/verify');
    expect(verify.body.ok).toBe(true);
    expect(verify.body.checked).toBeGreaterThanOrEqual(end);
  }, 180_000);

  it('refuses at once, with 503 naming it, a command for a service whose node is dead, and records the refusal', async () => {
    await clusterSettled([a, b], ['a', 'b']);
    const refused = await postJson<{ message: string; details: { commandId: string } }>(a.baseUrl, '/api/commands', logsOf('worker-c'));
    expect(refused.status).toBe(503);
    expect(refused.body.message).toBe('node c is not alive');
    const view = await eventually('the denial on node b', async () => {
      const response = await getJson<{ state: string; reason?: string }>(b.baseUrl, `/api/commands/${refused.body.details.commandId}`);
      return response.status === 200 ? response.body : undefined;
    });
    expect(view).toMatchObject({ state: 'denied', reason: 'node c is not alive' });

    // Back under the same name: it takes its row over and runs its commands again.
    c = await c.restart();
    await clusterSettled([a, b, c], ['a', 'b', 'c']);
    const again = await postJson<{ commandId: string }>(b.baseUrl, '/api/commands', logsOf('worker-c'));
    expect(again.status).toBe(202);
    expect((await finished(a.baseUrl, again.body.commandId)).state).toBe('completed');
  }, 120_000);
});
