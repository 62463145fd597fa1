import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type pg from 'pg';
import { startPostgres, type TestPostgres } from '../../../../test/support/postgres';
import type { DatabaseSettings } from './database-settings';
import { DatabaseModule } from './database.module';
import { DATABASE_SETTINGS, PG_POOL } from './database.tokens';

@Module({ imports: [DatabaseModule] })
class Root {}

type ContextOptions = Partial<NonNullable<Parameters<typeof NestFactory.createApplicationContext>[1]>>;
const quiet: ContextOptions = { logger: false };

/** Boots the module with VIGIL_DATABASE_URL set (or unset) for the factory's read of process.env. */
async function boot(url: string | undefined): Promise<Awaited<ReturnType<typeof NestFactory.createApplicationContext>>> {
  const saved = process.env.VIGIL_DATABASE_URL;
  if (url === undefined) delete process.env.VIGIL_DATABASE_URL;
  else process.env.VIGIL_DATABASE_URL = url;
  try {
    return await NestFactory.createApplicationContext(Root, quiet);
  } finally {
    if (saved === undefined) delete process.env.VIGIL_DATABASE_URL;
    else process.env.VIGIL_DATABASE_URL = saved;
  }
}

describe('DatabaseModule', () => {
  let server: TestPostgres | undefined;

  afterAll(async () => {
    await server?.stop();
  });

  it('provides SQLite settings and no pool without VIGIL_DATABASE_URL', async () => {
    const app = await boot(undefined);
    try {
      expect(app.get<DatabaseSettings>(DATABASE_SETTINGS)).toEqual({ kind: 'sqlite' });
      expect(app.get<pg.Pool | null>(PG_POOL)).toBeNull();
    } finally {
      await app.close();
    }
  });

  it('provides a working pool with the session timeouts under PostgreSQL, and ends it on shutdown', async () => {
    server = await startPostgres();
    const url = await server.createDatabase();
    const app = await boot(url);
    const pool = app.get<pg.Pool | null>(PG_POOL);
    expect(app.get<DatabaseSettings>(DATABASE_SETTINGS)).toMatchObject({ kind: 'postgres', url, poolSize: 10 });
    if (!pool) throw new Error('expected a pool');
    const { rows } = await pool.query<{ statement: string; lock: string; name: string }>(
      `SELECT current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock,
              current_setting('application_name') AS name`,
    );
    expect(rows[0]).toEqual({ statement: '30s', lock: '10s', name: 'vigil' });
    expect(pool.options.max).toBe(10);
    await app.close();
    expect(pool.ended).toBe(true);
    await expect(pool.query('SELECT 1')).rejects.toThrow();
  }, 60_000);
});
