import type { AuditEntry } from '@vigil/shared';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { getJson, logPosition, ping, postJson } from '../support/http';
import { finished } from '../support/commands';
import { runCli } from '../support/cli';
import { configWith } from '../support/demo-config';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { login, startServer, type RunningServer } from '../support/server';

const CONFIG = configWith({ production: [], staging: [] });

interface Row {
  position: number;
  stream: string;
  version: number;
  type: string;
  environment: string | null;
  data: string;
  meta: string;
  time: string;
  hash: string;
}

const SELECT_ALL = 'SELECT position, stream, version, type, environment, data, meta, time, hash FROM events ORDER BY position';

/**
 * `vigil copy-log --to postgres://…` on a log the real server wrote on SQLite,
 * then the real server on the copy.
 */
describe('vigil copy-log: from SQLite to PostgreSQL', () => {
  let pg: TestPostgres;
  let sqliteServer: RunningServer;
  let dataDir: string;
  let sqliteRows: Row[];

  function vigil(args: string[], env: Record<string, string> = {}) {
    return runCli(args, dataDir, { env: { VIGIL_CONFIG: join(dataDir, 'vigil.config.yaml'), ...env } });
  }

  beforeAll(async () => {
    pg = await startPostgres();
    sqliteServer = await startServer({ config: CONFIG });
    dataDir = sqliteServer.dataDir;
    const user = await postJson(sqliteServer.baseUrl, '/api/users', { username: 'dora', role: 'operator', password: 'dora-password-1' });
    expect(user.status).toBe(201);
    for (let i = 0; i < 5; i++) await finished(sqliteServer.baseUrl, (await ping(sqliteServer.baseUrl)).commandId);
    await sqliteServer.stop();
    const db = new Database(join(dataDir, 'events.db'), { readonly: true });
    sqliteRows = db.prepare(SELECT_ALL).all() as Row[];
    db.close();
  }, 90_000);

  afterAll(async () => {
    await sqliteServer.stop();
    sqliteServer.cleanup();
    await pg.stop();
  });

  it('copies every event with the same positions, times and hashes, and verifies both sides', async () => {
    const url = await pg.createDatabase();
    const result = await vigil(['copy-log', '--to', url]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`copied ${sqliteRows.length} events (positions 1 to ${sqliteRows.length})`);
    expect(result.stdout).toContain('ok: the hash chain checks out on both sides');

    const copied = await pg.query<Row & { position: string }>(SELECT_ALL, [], new URL(url).pathname.slice(1));
    expect(copied.map((row) => ({ ...row, position: Number(row.position) }))).toEqual(sqliteRows);
    const head = await pg.query<{ position: string; hash: string }>(
      'SELECT position, hash FROM event_log_head',
      [],
      new URL(url).pathname.slice(1),
    );
    expect(head[0]).toEqual({ position: String(sqliteRows.length), hash: sqliteRows[sqliteRows.length - 1].hash });

    const verify = await vigil(['verify'], { VIGIL_DATABASE_URL: url });
    expect(verify.stdout).toContain(`ok: the hash chain of ${sqliteRows.length} events checks out`);
  }, 60_000);

  it('serves the copied log from PostgreSQL: the same users, audit trail and positions, then new events after them', async () => {
    const url = await pg.createDatabase();
    expect((await vigil(['copy-log', '--to', url])).status).toBe(0);
    // A new node: a data dir of its own, everything else from the copied log.
    const server = await startServer({ config: CONFIG, env: { VIGIL_DATABASE_URL: url } });
    try {
      // The copied positions, plus what this server recorded at start (after them).
      expect(await logPosition(server.baseUrl)).toBeGreaterThanOrEqual(sqliteRows.length);
      await login(server.baseUrl, 'dora', 'dora-password-1');
      const audit = await getJson<{ items: AuditEntry[] }>(server.baseUrl, '/api/audit?limit=500');
      const copiedPings = sqliteRows.filter((row) => row.type === 'command.accepted').length;
      expect(audit.body.items.filter((item) => item.outcome === 'completed')).toHaveLength(copiedPings);
      const { position } = await ping(server.baseUrl);
      expect(position).toBeGreaterThan(sqliteRows.length);
      const verify = await getJson<{ ok: boolean; checked: number }>(server.baseUrl, '/api/audit/verify');
      expect(verify.body.ok).toBe(true);
      const rows = await pg.query<{ hash: string }>(
        'SELECT hash FROM events WHERE position <= $1 ORDER BY position',
        [sqliteRows.length],
        new URL(url).pathname.slice(1),
      );
      expect(rows.map((row) => row.hash)).toEqual(sqliteRows.map((row) => row.hash));
    } finally {
      await server.stop();
      server.cleanup();
    }
  }, 90_000);

  it('refuses a database that already holds events, and changes nothing in it', async () => {
    const url = await pg.createDatabase();
    expect((await vigil(['copy-log', '--to', url])).status).toBe(0);
    const again = await vigil(['copy-log', '--to', url]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already holds an event log \(\d+ events\): copy-log only fills an empty one/);
    const rows = await pg.query<{ n: string }>('SELECT count(*) AS n FROM events', [], new URL(url).pathname.slice(1));
    expect(Number(rows[0].n)).toBe(sqliteRows.length);
  }, 60_000);

  it('refuses while a server holds the data dir', async () => {
    sqliteServer = await sqliteServer.restart();
    try {
      const url = await pg.createDatabase();
      const refused = await vigil(['copy-log', '--to', url]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/a Vigil server \(pid \d+\) holds .*: stop it first/);
      const rows = await pg.query<{ n: string }>(
        'SELECT count(*) AS n FROM pg_tables WHERE tablename = $1',
        ['events'],
        new URL(url).pathname.slice(1),
      );
      expect(rows[0].n).toBe('0');
    } finally {
      await sqliteServer.stop();
    }
  }, 60_000);

  it('refuses bad arguments clearly, without printing the password', async () => {
    const missing = await vigil(['copy-log']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/copy-log needs --to postgres:\/\//);
    const wrong = await vigil(['copy-log', '--to', 'mysql://root:top-secret@db/vigil']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/--to must start with postgres:\/\//);
    expect(wrong.stderr).not.toContain('top-secret');
    const unreachable = await vigil(['copy-log', '--to', 'postgres://vigil:top-secret@127.0.0.1:1/vigil']);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(/cannot connect to the PostgreSQL database postgres:\/\/vigil:\*\*\*@127.0.0.1:1\/vigil/);
    expect(unreachable.stderr).not.toContain('top-secret');
  }, 60_000);
});
