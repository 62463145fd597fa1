import { existsSync } from 'node:fs';
import { startPostgres, type TestPostgres } from '../support/postgres';

describe('throwaway PostgreSQL for tests', () => {
  let server: TestPostgres | undefined;

  afterAll(async () => {
    await server?.stop();
  });

  it('starts on loopback, gives each caller its own database, and leaves nothing behind', async () => {
    server = await startPostgres();
    expect(server.port).toBeLessThan(32768);
    const a = await server.createDatabase();
    const b = await server.createDatabase();
    expect(a).not.toBe(b);
    const database = new URL(a).pathname.slice(1);
    await server.query('CREATE TABLE t (x int)', [], database);
    await server.query('INSERT INTO t VALUES (1), (2)', [], database);
    const rows = await server.query<{ n: string }>('SELECT count(*) AS n FROM t', [], database);
    expect(rows[0].n).toBe('2');
    // The other database does not see the table.
    await expect(server.query('SELECT * FROM t', [], new URL(b).pathname.slice(1))).rejects.toThrow(/does not exist/);
    const dir = server.dataDir;
    await server.stop();
    expect(existsSync(dir)).toBe(false);
    server = undefined;
  }, 60_000);
});
