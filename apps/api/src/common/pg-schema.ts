import pg from 'pg';

const pgTypes = pg.types;

/** One schema step for PostgreSQL: its statements run in one transaction, once per database. */
export interface PgMigration {
  /** Unique across Vigil (recorded in vigil_pg_migrations). */
  name: string;
  statements: readonly string[];
}

/** Every node takes this lock before migrating, so nodes started together do not race. */
const MIGRATION_LOCK = 0x76_69_67_6c; // 'vigl'

/**
 * Applies the migrations not yet recorded, in order, each in one transaction with
 * its record. A transaction-scoped advisory lock serialises nodes that start at the
 * same time: the second one waits, then finds the steps recorded and skips them.
 */
export async function applyPgMigrations(pool: pg.Pool, migrations: readonly PgMigration[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS vigil_pg_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const applied = new Set((await client.query<{ name: string }>('SELECT name FROM vigil_pg_migrations')).rows.map((row) => row.name));
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      for (const statement of migration.statements) await client.query(statement);
      await client.query('INSERT INTO vigil_pg_migrations (name) VALUES ($1)', [migration.name]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Runs `work` in one transaction on one pooled client. */
export async function inPgTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Per-query type parsers reading BIGINT and NUMERIC as JS numbers (positions, epoch
 * ms and counts stay far below 2^53), without changing the pool's global parsers.
 */
const defaultParser = pgTypes.getTypeParser.bind(pgTypes) as (oid: number, format?: 'text' | 'binary') => unknown;
const toNumber = (value: string): number => Number(value);
export const PG_NUMBERS: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID || oid === NUMERIC_OID ? toNumber : defaultParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};
