import { DATABASE_DEFAULTS, DatabaseSettingsError, readDatabaseSettings, redactedUrl } from './database-settings';

const URL_WITH_SECRET = 'postgres://vigil:s3cret-pass@db.example:5432/vigil';

function errorOf(env: NodeJS.ProcessEnv): DatabaseSettingsError {
  try {
    readDatabaseSettings(env);
  } catch (error) {
    if (error instanceof DatabaseSettingsError) return error;
    throw error;
  }
  throw new Error('expected a DatabaseSettingsError');
}

describe('readDatabaseSettings', () => {
  it('keeps SQLite when VIGIL_DATABASE_URL is unset or blank', () => {
    expect(readDatabaseSettings({})).toEqual({ kind: 'sqlite' });
    expect(readDatabaseSettings({ VIGIL_DATABASE_URL: '  ' })).toEqual({ kind: 'sqlite' });
    // PostgreSQL-only settings are ignored without a URL.
    expect(readDatabaseSettings({ VIGIL_PG_POOL_SIZE: 'lots' })).toEqual({ kind: 'sqlite' });
  });

  it('selects PostgreSQL with the defaults', () => {
    expect(readDatabaseSettings({ VIGIL_DATABASE_URL: URL_WITH_SECRET })).toEqual({
      kind: 'postgres',
      url: URL_WITH_SECRET,
      poolSize: 10,
      statementTimeoutMs: 30_000,
      lockTimeoutMs: 10_000,
      connectTimeoutMs: 10_000,
    });
    expect(DATABASE_DEFAULTS.poolSize).toBe(10);
    expect(readDatabaseSettings({ VIGIL_DATABASE_URL: 'postgresql://localhost/vigil' })).toMatchObject({ kind: 'postgres' });
  });

  it('reads pool size and timeouts', () => {
    expect(
      readDatabaseSettings({
        VIGIL_DATABASE_URL: URL_WITH_SECRET,
        VIGIL_PG_POOL_SIZE: '25',
        VIGIL_PG_STATEMENT_TIMEOUT_MS: '0',
        VIGIL_PG_LOCK_TIMEOUT_MS: ' 2500 ',
        VIGIL_PG_CONNECT_TIMEOUT_MS: '3000',
      }),
    ).toMatchObject({ poolSize: 25, statementTimeoutMs: 0, lockTimeoutMs: 2500, connectTimeoutMs: 3000 });
  });

  it.each([
    ['VIGIL_PG_POOL_SIZE', '0'],
    ['VIGIL_PG_POOL_SIZE', '2.5'],
    ['VIGIL_PG_POOL_SIZE', 'ten'],
    ['VIGIL_PG_STATEMENT_TIMEOUT_MS', '-1'],
    ['VIGIL_PG_LOCK_TIMEOUT_MS', '1e99'],
    ['VIGIL_PG_CONNECT_TIMEOUT_MS', 'soon'],
  ])('refuses %s=%s naming the setting and the value', (name, value) => {
    const error = errorOf({ VIGIL_DATABASE_URL: URL_WITH_SECRET, [name]: value });
    expect(error.message).toContain(name);
    expect(error.message).toContain(`"${value}"`);
  });

  it.each([
    ['not a URL', 's3cret-pass@db.example/vigil', /not a valid URL/],
    ['no scheme', 'vigil:s3cret-pass@db.example/vigil', /postgres:\/\/ or postgresql:\/\//],
    ['another scheme', 'mysql://vigil:s3cret-pass@db.example/vigil', /postgres:\/\/ or postgresql:\/\//],
    ['no database', 'postgres://vigil:s3cret-pass@db.example:5432/', /names no database/],
  ])('refuses %s without printing the password', (_label, url, message) => {
    const error = errorOf({ VIGIL_DATABASE_URL: url });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('s3cret-pass');
  });
});

describe('redactedUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactedUrl(URL_WITH_SECRET)).toBe('postgres://vigil:***@db.example:5432/vigil');
    expect(redactedUrl('postgres://vigil@db.example/vigil')).toBe('postgres://vigil@db.example/vigil');
    expect(redactedUrl('::nonsense s3cret')).not.toContain('s3cret');
  });
});
