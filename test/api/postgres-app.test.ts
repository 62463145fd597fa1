import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getJson, logPosition, ping } from '../support/http';
import { runCli } from '../support/cli';
import { run } from '../support/commands';
import { configWith, demoService } from '../support/demo-config';
import { demoProcessesOnPorts } from '../support/processes';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { startServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

const PORTS = { from: 23001, to: 23002 };
const CONFIG = configWith({ production: [], staging: [demoService({ script: 'web-server', ports: PORTS })] });

interface LogRow {
  position: string;
  stream: string;
  type: string;
  hash: string;
}

describe('the Vigil server on PostgreSQL (VIGIL_DATABASE_URL)', () => {
  let pg: TestPostgres;
  let url: string;
  let database: string;
  let server: RunningServer;

  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase();
    database = new URL(url).pathname.slice(1);
    server = await startServer({ config: CONFIG, supervisor: true, env: { VIGIL_DATABASE_URL: url } });
  }, 60_000);

  afterAll(async () => {
    await server.stop();
    server.cleanup();
    await pg.stop();
    expect(demoProcessesOnPorts(PORTS.from, PORTS.to)).toEqual([]);
  });

  it('keeps the event log in PostgreSQL, not in the data dir', async () => {
    expect(existsSync(join(server.dataDir, 'events.db'))).toBe(false);
    // Position first, rows second: the supervisor may still be committing its start-up events, so
    // the table can only have grown between the two reads, never shrunk.
    const position = await logPosition(server.baseUrl);
    const rows = await pg.query<LogRow>('SELECT position, stream, type, hash FROM events ORDER BY position', [], database);
    // The first admin was created at start: that is in the log.
    expect(rows.map((row) => row.type)).toContain('user.created');
    expect(rows.map((row) => Number(row.position))).toEqual(rows.map((_, index) => index + 1));
    expect(position).toBeGreaterThan(0);
    expect(rows.length).toBeGreaterThanOrEqual(position);
  });

  it('answers a POSTed command with 202 and streams its events over SSE, committed in PostgreSQL', async () => {
    const client = await SseClient.connect(server.baseUrl, '/api/stream');
    await client.waitFor('snapshot', (messages) => messages.length >= 1);
    const { commandId, position } = await ping(server.baseUrl);
    await client.waitFor('command.completed', (messages) =>
      messages.some((m) => m.json.type === 'command.completed' && (m.json.data as { commandId: string }).commandId === commandId),
    );
    client.close();
    const mine = client.events.filter((m) => (m.json.data as { commandId?: string }).commandId === commandId);
    expect(mine.map((m) => m.json.type)).toEqual(['command.accepted', 'command.started', 'command.output', 'command.completed']);
    expect(mine[0].json.position).toBe(position);

    const rows = await pg.query<LogRow>(
      'SELECT position, stream, type, hash FROM events WHERE stream = $1 ORDER BY position',
      [`command-${commandId}`],
      database,
    );
    expect(rows.map((row) => [Number(row.position), row.type, row.hash])).toEqual(
      mine.map((m) => [m.json.position, m.json.type, m.json.hash]),
    );
  });

  it('runs a real service command (restart) and verifies the chain over the API', async () => {
    const view = await run(server.baseUrl, { type: 'restart', target: 'web-server', environment: 'staging' });
    expect(view.output.map((line) => line.text).join('\n')).toMatch(/restarted/);
    const verify = await getJson<{ ok: boolean; checked: number; lastPosition: number }>(server.baseUrl, '/api/audit/verify');
    expect(verify.body).toMatchObject({ ok: true });
    expect(verify.body.checked).toBe(verify.body.lastPosition);
    const head = await pg.query<{ position: string }>('SELECT position FROM event_log_head', [], database);
    expect(verify.body.lastPosition).toBeLessThanOrEqual(Number(head[0].position));
  });

  it('continues the same log after a restart', async () => {
    const before = await logPosition(server.baseUrl);
    server = await server.restart();
    const after = await logPosition(server.baseUrl);
    // The stop wrote what the supervisor recorded on the way down: never fewer events.
    expect(after).toBeGreaterThanOrEqual(before);
    const { position } = await ping(server.baseUrl);
    expect(position).toBeGreaterThan(after);
    const verify = await getJson<{ ok: boolean }>(server.baseUrl, '/api/audit/verify');
    expect(verify.body.ok).toBe(true);
  }, 60_000);

  it('vigil verify and GET /api/audit/verify check the PostgreSQL chain and name the first bad position', async () => {
    const env = { VIGIL_DATABASE_URL: url };
    const good = await runCli(['verify'], server.dataDir, { env });
    expect(good.stdout).toMatch(/^ok: the hash chain of \d+ events checks out/);
    expect(good.status).toBe(0);

    const [original] = await pg.query<{ data: string }>('SELECT data FROM events WHERE position = 3', [], database);
    await pg.query('UPDATE events SET data = $1 WHERE position = 3', ['{"forged":true}'], database);
    try {
      const bad = await runCli(['verify'], server.dataDir, { env });
      expect(bad.stdout).toMatch(/^BROKEN at position 3: hash mismatch at position 3/);
      expect(bad.status).toBe(1);
      const api = await getJson<{ ok: boolean; firstBadPosition: number }>(server.baseUrl, '/api/audit/verify');
      expect(api.body).toMatchObject({ ok: false, firstBadPosition: 3 });
    } finally {
      await pg.query('UPDATE events SET data = $1 WHERE position = 3', [original.data], database);
    }
    expect((await getJson<{ ok: boolean }>(server.baseUrl, '/api/audit/verify')).body.ok).toBe(true);
  }, 60_000);

  it('refuses to start on a bad VIGIL_DATABASE_URL with a clear message that hides the password', async () => {
    const bad = `postgres://vigil:hunter2-secret@127.0.0.1:${pg.port}/`;
    await expect(startServer({ auth: false, env: { VIGIL_DATABASE_URL: bad } })).rejects.toThrow(/VIGIL_DATABASE_URL names no database/);
    const unreachable = startServer({ auth: false, env: { VIGIL_DATABASE_URL: `postgres://vigil:hunter2-secret@127.0.0.1:1/vigil` } });
    const failure = await unreachable.then(
      () => new Error('started'),
      (error: unknown) => error as Error,
    );
    expect(failure.message).toMatch(
      /cannot connect to the PostgreSQL database postgres:\/\/vigil:\*\*\*@127.0.0.1:1\/vigil \(VIGIL_DATABASE_URL\): connect ECONNREFUSED/,
    );
    expect(failure.message).not.toContain('hunter2-secret');
  }, 60_000);
});
