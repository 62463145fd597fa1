import pg from 'pg';

const pgTypes = pg.types;

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
