import { describeEventStore, type LogUnderTest } from '../../../../test/support/event-store-suite';
import { startPostgres, type TestPostgres } from '../../../../test/support/postgres';
import { readDatabaseSettings, type PostgresDatabaseSettings } from '../database/database-settings';
import { PostgresEventStore } from './postgres-event-store';

let server: TestPostgres | undefined;

afterAll(async () => {
  await server?.stop();
});

/** Settings for a database URL, as the server reads them from VIGIL_DATABASE_URL. */
export function settingsFor(url: string): PostgresDatabaseSettings {
  const settings = readDatabaseSettings({ VIGIL_DATABASE_URL: url, VIGIL_PG_POOL_SIZE: '4' });
  if (settings.kind !== 'postgres') throw new Error('expected PostgreSQL settings');
  return settings;
}

async function postgresLog(): Promise<LogUnderTest> {
  server ??= await startPostgres();
  const pgServer = server;
  const url = await pgServer.createDatabase();
  const database = new URL(url).pathname.slice(1);
  const sql = async (text: string, params: unknown[] = []): Promise<void> => {
    await pgServer.query(text, params, database);
  };
  return {
    open: () => PostgresEventStore.open({ settings: settingsFor(url), pollMs: 200 }),
    isCommitted: async (position) => (await pgServer.query('SELECT 1 FROM events WHERE position = $1', [position], database)).length === 1,
    alterData: (position, dataJson) => sql('UPDATE events SET data = $1 WHERE position = $2', [dataJson, position]),
    deleteRow: (position) => sql('DELETE FROM events WHERE position = $1', [position]),
    deleteAfter: (position) => sql('DELETE FROM events WHERE position > $1', [position]),
    dispose: () => sql(`SELECT 1`),
  };
}

describeEventStore({ name: 'PostgreSQL', create: postgresLog, timeoutMs: 60_000 });
