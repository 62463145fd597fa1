import { hostname } from 'node:os';
import type pg from 'pg';
import type { DatabaseSettings, PostgresDatabaseSettings } from './database-settings';

/** The PostgreSQL settings and pool when VIGIL_DATABASE_URL is set, else undefined (SQLite). */
export function postgresOf(
  database: DatabaseSettings,
  pool: pg.Pool | null,
): { settings: PostgresDatabaseSettings; pool: pg.Pool } | undefined {
  if (database.kind !== 'postgres') return undefined;
  if (!pool) throw new Error('VIGIL_DATABASE_URL is set but no PostgreSQL pool was made');
  return { settings: database, pool };
}

/**
 * This node's name for per-node rows of shared read models (the audit checkpoint):
 * VIGIL_NODE_NAME, else the host name, as the cluster names nodes.
 */
export function readModelNodeName(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.VIGIL_NODE_NAME?.trim();
  return named !== undefined && named !== '' ? named : hostname();
}
