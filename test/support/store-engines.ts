import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { readDatabaseSettings, type PostgresDatabaseSettings } from '../../apps/api/src/database/database-settings';
import { startPostgres, type TestPostgres } from './postgres';

export type EngineName = 'sqlite' | 'postgres';

/**
 * Where one test's store lives, on either engine: a temp dir of SQLite files, or a
 * fresh PostgreSQL database (one throwaway server per spec file). A spec written
 * against this runs unchanged on both (`forEachEngine`).
 */
export interface StoreEngine {
  readonly name: EngineName;
  /** SQLite: a file in this test's temp dir. */
  file(name: string): string;
  /** PostgreSQL: a pool on this test's database (ended after the file's tests). */
  pool(options?: pg.PoolConfig): pg.Pool;
  /** PostgreSQL: this test's database URL. */
  readonly url: string;
  /** PostgreSQL: the database settings for this test's URL (as VIGIL_DATABASE_URL would give). */
  settings(): PostgresDatabaseSettings;
  /** A query on this test's data, read by a separate connection (`?` placeholders; SQLite: on `file`). */
  rows<T>(sql: string, params?: unknown[], file?: string): Promise<T[]>;
  /** A write on this test's data from a separate connection (tests that tamper with stored rows). */
  exec(sql: string, params?: unknown[], file?: string): Promise<void>;
}

function toDollars(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Runs `body` once per engine, each in its own describe block; the suite is created per test. */
export function forEachEngine(body: (engine: StoreEngine) => void, engines: readonly EngineName[] = ['sqlite', 'postgres']): void {
  describe.each(engines)('on %s', (name) => {
    let server: TestPostgres | undefined;
    let dir = '';
    let url = '';
    const pools: pg.Pool[] = [];
    const dirs: string[] = [];

    beforeAll(async () => {
      if (name === 'postgres') server = await startPostgres();
    }, 60_000);

    beforeEach(async () => {
      if (name === 'sqlite') {
        dir = mkdtempSync(join(tmpdir(), 'vigil-engine-'));
        dirs.push(dir);
      } else {
        url = await server!.createDatabase();
      }
    });

    afterAll(async () => {
      for (const pool of pools.splice(0)) await pool.end().catch(() => undefined);
      await server?.stop();
      for (const path of dirs.splice(0)) rmSync(path, { recursive: true, force: true });
    });

    body({
      name,
      file: (file) => join(dir, file),
      get url() {
        return url;
      },
      settings: () => {
        const settings = readDatabaseSettings({ VIGIL_DATABASE_URL: url, VIGIL_PG_POOL_SIZE: '4' });
        if (settings.kind !== 'postgres') throw new Error('expected PostgreSQL settings');
        return settings;
      },
      pool: (options) => {
        const pool = new pg.Pool({ connectionString: url, max: 4, ...options });
        pools.push(pool);
        return pool;
      },
      exec: async (sql: string, params: unknown[] = [], file = 'projections.db'): Promise<void> => {
        if (name === 'sqlite') {
          const db = new Database(join(dir, file));
          try {
            db.pragma('busy_timeout = 5000');
            db.prepare(sql).run(...params);
          } finally {
            db.close();
          }
          return;
        }
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(toDollars(sql), params);
        } finally {
          await client.end();
        }
      },
      rows: async <T>(sql: string, params: unknown[] = [], file = 'projections.db'): Promise<T[]> => {
        if (name === 'sqlite') {
          const db = new Database(join(dir, file), { readonly: true });
          try {
            return db.prepare(sql).all(...params) as T[];
          } finally {
            db.close();
          }
        }
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          return (await client.query(toDollars(sql), params)).rows as T[];
        } finally {
          await client.end();
        }
      },
    });
  });
}
