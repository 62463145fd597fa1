/**
 * Which database engine holds the log, the read models and the metrics:
 * SQLite files under VIGIL_DATA_DIR (the default), or one PostgreSQL database
 * shared by every node of a cluster when VIGIL_DATABASE_URL is set.
 */
export type DatabaseSettings = SqliteDatabaseSettings | PostgresDatabaseSettings;

export interface SqliteDatabaseSettings {
  kind: 'sqlite';
}

export interface PostgresDatabaseSettings {
  kind: 'postgres';
  /** The connection URL as given (with its password: never log it, use redactedUrl). */
  url: string;
  /** Connections per pool (each store instance opens one pool). */
  poolSize: number;
  /** Server-side statement_timeout of every pooled session, ms (0 = none). */
  statementTimeoutMs: number;
  /** Server-side lock_timeout of every pooled session, ms (0 = none). */
  lockTimeoutMs: number;
  /** How long to wait for a new connection before failing, ms (0 = forever). */
  connectTimeoutMs: number;
}

export const DATABASE_DEFAULTS = {
  poolSize: 10,
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
} as const;

/** A bad database setting; its message never holds the URL's password. */
export class DatabaseSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseSettingsError';
  }
}

function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DatabaseSettingsError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** The URL with its password replaced by `***`: what logs and error messages show. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function parseUrl(raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    // Never echo the text: it may hold a password.
    throw new DatabaseSettingsError('VIGIL_DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DatabaseSettingsError('VIGIL_DATABASE_URL must start with postgres:// or postgresql:// (unset it to keep SQLite)');
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw new DatabaseSettingsError(`VIGIL_DATABASE_URL names no host: ${redactedUrl(raw)}`);
  }
  if (parsed.pathname.replace(/^\//, '') === '') {
    throw new DatabaseSettingsError(`VIGIL_DATABASE_URL names no database: ${redactedUrl(raw)}`);
  }
  return raw;
}

export function readDatabaseSettings(env: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  const raw = env.VIGIL_DATABASE_URL?.trim();
  if (raw === undefined || raw === '') return { kind: 'sqlite' };
  return {
    kind: 'postgres',
    url: parseUrl(raw),
    poolSize: parseInteger('VIGIL_PG_POOL_SIZE', env.VIGIL_PG_POOL_SIZE, DATABASE_DEFAULTS.poolSize, 1, 1000),
    statementTimeoutMs: parseInteger(
      'VIGIL_PG_STATEMENT_TIMEOUT_MS',
      env.VIGIL_PG_STATEMENT_TIMEOUT_MS,
      DATABASE_DEFAULTS.statementTimeoutMs,
      0,
      2_147_483_647,
    ),
    lockTimeoutMs: parseInteger(
      'VIGIL_PG_LOCK_TIMEOUT_MS',
      env.VIGIL_PG_LOCK_TIMEOUT_MS,
      DATABASE_DEFAULTS.lockTimeoutMs,
      0,
      2_147_483_647,
    ),
    connectTimeoutMs: parseInteger(
      'VIGIL_PG_CONNECT_TIMEOUT_MS',
      env.VIGIL_PG_CONNECT_TIMEOUT_MS,
      DATABASE_DEFAULTS.connectTimeoutMs,
      0,
      2_147_483_647,
    ),
  };
}
