import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, getJson, ping } from '../support/http';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { startServer, type RunningServer } from '../support/server';

interface HistoryBody {
  tier: string;
  step: number;
  points: [number, number, number, number][];
}

interface AuditBody {
  items: { commandId: string; outcome: string; acceptedPosition: number }[];
}

const NODE = 'models-a';

describe('read models and metrics on PostgreSQL (VIGIL_DATABASE_URL)', () => {
  let pg: TestPostgres;
  let database: string;
  let server: RunningServer;
  let started: number;
  let url: string;
  let window: string;

  const rows = <T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => pg.query<T>(sql, params, database);

  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase();
    database = new URL(url).pathname.slice(1);
    started = Date.now();
    server = await startServer({ env: { VIGIL_DATABASE_URL: url, VIGIL_NODE_NAME: NODE } });
  }, 60_000);

  afterAll(async () => {
    await server.stop();
    server.cleanup();
    await pg.stop();
  });

  it('keeps the audit trail, checkpoints, projection versions and metrics in PostgreSQL, no SQLite file beside them', async () => {
    const commands = [await ping(server.baseUrl), await ping(server.baseUrl)];
    const audit = await eventually('both pings in the audit trail', async () => {
      const response = await getJson<AuditBody>(server.baseUrl, '/api/audit?limit=50');
      const done = response.body.items.filter((item) => item.outcome === 'completed').map((item) => item.commandId);
      return commands.every((command) => done.includes(command.commandId)) ? response.body : undefined;
    });
    const stored = await rows<{ command_id: string; outcome: string }>('SELECT command_id, outcome FROM audit_commands');
    for (const command of commands) {
      expect(stored).toContainEqual({
        command_id: command.commandId,
        outcome: audit.items.find((i) => i.commandId === command.commandId)?.outcome,
      });
    }
    expect(await rows('SELECT projection FROM projection_checkpoints')).toEqual([{ projection: `audit@${NODE}` }]);
    expect(await rows('SELECT name, schema_version FROM projection_versions')).toEqual([{ name: 'audit', schema_version: 2 }]);
    await eventually('host samples flushed to ts_raw', async () => {
      const [row] = await rows<{ n: string }>(
        "SELECT COUNT(*) AS n FROM ts_raw r JOIN ts_series s ON s.id = r.series_id WHERE s.source = $1 AND s.metric = 'cpu_percent'",
        [`host@${NODE}`],
      );
      return Number(row.n) > 0 ? true : undefined;
    });
    for (const file of ['events.db', 'projections.db', 'metrics.db']) expect(existsSync(join(server.dataDir, file))).toBe(false);
  });

  it('answers history and the audit trail the same after a restart', async () => {
    // A window wholly in the past: every sample in it has been flushed (once a second).
    await eventually('a few seconds of host samples', async () => {
      const response = await getJson<HistoryBody>(
        server.baseUrl,
        `/api/metrics/history?metric=cpu_percent&source=host@${NODE}&from=${started}&to=${Date.now() - 2_000}&maxPoints=600`,
      );
      return response.body.points.length >= 3 ? true : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    window = `/api/metrics/history?metric=cpu_percent&source=host@${NODE}&from=${started}&to=${Date.now() - 2_000}&maxPoints=600`;
    const before = await getJson<HistoryBody>(server.baseUrl, window);
    expect(before.status).toBe(200);
    expect(before.body.tier).toBe('raw');
    const auditBefore = await getJson<AuditBody>(server.baseUrl, '/api/audit?limit=50');

    server = await server.restart();

    const after = await getJson<HistoryBody>(server.baseUrl, window);
    expect(after.body).toEqual(before.body);
    const auditAfter = await getJson<AuditBody>(server.baseUrl, '/api/audit?limit=50');
    // Newest first: anything the restart itself recorded comes before; the old page is still there, unchanged.
    expect(auditAfter.body.items.slice(-auditBefore.body.items.length)).toEqual(auditBefore.body.items);
  }, 90_000);

  it('answers history and the audit trail the same on a second node on the same database', async () => {
    const other = await startServer({ env: { VIGIL_DATABASE_URL: url, VIGIL_NODE_NAME: 'models-b' } });
    try {
      const here = await getJson<HistoryBody>(server.baseUrl, window);
      const there = await getJson<HistoryBody>(other.baseUrl, window);
      expect(there.body).toEqual(here.body);
      const { commandId } = await ping(other.baseUrl);
      // A command taken by node b is in the trail of both (each folds the shared log into the shared rows).
      for (const node of [other, server]) {
        await eventually(`${commandId} in the audit trail of ${node.baseUrl}`, async () => {
          const response = await getJson<AuditBody>(node.baseUrl, '/api/audit?limit=50');
          return response.body.items.some((item) => item.commandId === commandId && item.outcome === 'completed') ? true : undefined;
        });
      }
      const [a, b] = await Promise.all([server, other].map((node) => getJson<AuditBody>(node.baseUrl, '/api/audit?limit=50')));
      expect(b.body.items).toEqual(a.body.items);
      expect(await rows('SELECT projection FROM projection_checkpoints ORDER BY projection')).toEqual([
        { projection: `audit@${NODE}` },
        { projection: 'audit@models-b' },
      ]);
    } finally {
      await other.stop();
      other.cleanup();
    }
  }, 90_000);
});
