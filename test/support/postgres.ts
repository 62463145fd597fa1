import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL server for tests: `initdb` into a temp dir, `pg_ctl start`
 * on a free loopback port below 32768, trust authentication for the superuser
 * `vigil`, and `stop()` removes it all. One server per suite; each test that needs
 * a clean database asks for its own with `createDatabase()`.
 *
 * initdb refuses to run as root, so as root the server runs as the `postgres`
 * system user (Debian's postgresql package creates it) in a dir it owns.
 */
export interface TestPostgres {
  /** Superuser URL of the maintenance database `postgres`. */
  adminUrl: string;
  port: number;
  dataDir: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Runs one SQL statement as the superuser on `database` (default `postgres`). */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[], database?: string): Promise<T[]>;
  /** Stops the server (immediate) and removes its files. */
  stop(): Promise<void>;
}

const SUPERUSER = 'vigil';

/** The newest installed PostgreSQL's bin dir (Debian: /usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base)
    ? readdirSync(base)
        .filter((entry) => /^\d+$/.test(entry) && existsSync(join(base, entry, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install postgresql');
  return join(base, majors[0], 'bin');
}

async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => {
      resolve(false);
    });
    probe.listen(port, '127.0.0.1', () => {
      probe.close(() => {
        resolve(true);
      });
    });
  });
}

async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await isPortFree(port)) return port;
  }
  throw new Error('no free port found for PostgreSQL');
}

/** Runs a server binary, as `postgres` when this process is root. */
function runAsOwner(bin: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const result = spawnSync(command, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${[command, ...argv].join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dataDir, uid, gid);
  }
  const pgdata = join(dataDir, 'data');
  runAsOwner(join(bin, 'initdb'), ['-D', pgdata, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);

  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      const options = [
        `-p ${port}`,
        `-k ${dataDir}`,
        `-c listen_addresses=127.0.0.1`,
        `-c max_connections=300`,
        `-c shared_buffers=32MB`,
        `-c log_min_messages=warning`,
      ].join(' ');
      runAsOwner(join(bin, 'pg_ctl'), ['-D', pgdata, '-l', join(dataDir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
      break;
    } catch (error) {
      // Another process took the port between the probe and the bind: try another.
      if (attempt >= 3) throw error;
    }
  }

  const adminUrl = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
  const urlOf = (database: string): string => `postgres://${SUPERUSER}@127.0.0.1:${port}/${database}`;
  let databases = 0;

  const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = [], database = 'postgres'): Promise<T[]> => {
    const client = new pg.Client({ connectionString: urlOf(database) });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };

  let stopped = false;
  const stop = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    stopped = true;
    try {
      runAsOwner(join(bin, 'pg_ctl'), ['-D', pgdata, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    return Promise.resolve();
  };

  return {
    adminUrl,
    port,
    dataDir,
    query,
    stop,
    createDatabase: async (name) => {
      const database = name ?? `vigil_test_${process.pid}_${++databases}`;
      if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`bad database name ${database}`);
      await query(`CREATE DATABASE ${database}`);
      return urlOf(database);
    },
  };
}
