import { Logger } from '@nestjs/common';
import pg from 'pg';
import { redactedUrl, type PostgresDatabaseSettings } from './database-settings';

/**
 * Connection settings shared by pooled connections and the dedicated ones (the
 * log tailer's LISTEN connection, the leader's lease session): the timeouts are
 * set per session by the server, so a stuck statement or lock wait fails instead
 * of hanging a node.
 */
export function pgClientConfig(settings: PostgresDatabaseSettings, applicationName = 'vigil'): pg.ClientConfig {
  return {
    connectionString: settings.url,
    statement_timeout: settings.statementTimeoutMs,
    lock_timeout: settings.lockTimeoutMs,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    application_name: applicationName,
    // TCP keep-alive: a connection to a server that vanished is noticed, not waited on forever.
    keepAlive: true,
  };
}

/**
 * A pool of `settings.poolSize` connections. An idle connection that the server
 * drops emits 'error' on the pool; without a listener that would crash the
 * process, so it is logged and the pool replaces the connection on next use.
 */
export function createPgPool(settings: PostgresDatabaseSettings, applicationName = 'vigil'): pg.Pool {
  const pool = new pg.Pool({ ...pgClientConfig(settings, applicationName), max: settings.poolSize });
  const logger = new Logger('PostgreSQL');
  pool.on('error', (error) => {
    logger.warn(`an idle connection to ${redactedUrl(settings.url)} failed: ${error.message}`);
  });
  return pool;
}

/** Ends a pool once; later calls (and a pool already ended) are no-ops. */
export async function endPool(pool: pg.Pool): Promise<void> {
  if (pool.ended || pool.ending) return;
  await pool.end();
}
