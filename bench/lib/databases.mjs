// Which event-log database a bench runs Vigil on: `--database sqlite,postgres`.
// SQLite is the default (a file in the server's temp data dir). For PostgreSQL one
// throwaway server (lib/postgres.mjs, default durability) serves the whole bench,
// started on first use, with a fresh database for every Vigil start so no run sees
// another's log; it is checkpointed before each start (an earlier run's dirty pages
// are not flushed during this one) and dropped after.
import { log } from './result.mjs';
import { startPostgres } from './postgres.mjs';

export const DATABASE_LABEL = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** `--database` as a list: 'sqlite,postgres' → ['sqlite', 'postgres']. */
export function parseDatabases(value) {
  const list = String(value)
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = list.filter((name) => !(name in DATABASE_LABEL));
  if (list.length === 0 || unknown.length > 0)
    throw new Error(`--database takes a comma list of ${Object.keys(DATABASE_LABEL).join(', ')}; got ${JSON.stringify(String(value))}`);
  return [...new Set(list)];
}

export class Databases {
  #postgres;
  #count = 0;

  constructor(prefix) {
    this.prefix = prefix.replace(/[^a-z0-9_]/g, '_');
  }

  /**
   * The environment for one Vigil start on `database`, and a release() for after its
   * stop: {} for SQLite; VIGIL_DATABASE_URL of a fresh database for PostgreSQL.
   */
  async forStart(database) {
    if (database === 'sqlite') return { env: {}, release: async () => {} };
    if (database !== 'postgres') throw new Error(`unknown database ${database}`);
    if (!this.#postgres) {
      this.#postgres = await startPostgres();
      log(`${this.prefix}: PostgreSQL on 127.0.0.1:${this.#postgres.port}`);
    }
    const pg = this.#postgres;
    const name = `bench_${this.prefix}_${++this.#count}`;
    const url = await pg.createDatabase(name);
    await pg.checkpoint();
    return {
      env: { VIGIL_DATABASE_URL: url },
      database: name,
      release: () => pg.dropDatabase(name).catch((error) => log(`${this.prefix}: DROP DATABASE ${name}: ${error.message}`)),
    };
  }

  stop() {
    this.#postgres?.stop();
    this.#postgres = undefined;
  }
}
