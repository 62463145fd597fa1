// A throwaway PostgreSQL server for benchmarks (the same approach as
// test/support/postgres.ts): initdb into a temp dir, pg_ctl start on a free
// loopback port, trust auth for `vigil`; stop() removes it. As root the server
// runs as the `postgres` system user. Durability settings are PostgreSQL's
// defaults (fsync on, synchronous_commit on): appends are measured durable.
// A server still running when the bench process exits (a crash or SIGTERM skipped
// stop()) is stopped on the way out, before lib/tmp.mjs removes its directory.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.mjs';
import { makeTempDir, removeTempDir } from './tmp.mjs';

const running = new Set();
process.prependListener('exit', () => {
  for (const server of running) {
    try {
      server.stop();
    } catch {
      /* exiting anyway */
    }
  }
});
// SIGTERM (run-all's timeout) ends the process through 'exit', so the handlers run.
if (process.listenerCount('SIGTERM') === 0) process.once('SIGTERM', () => process.exit(143));

function binDir() {
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base)
    ? readdirSync(base)
        .filter((entry) => /^\d+$/.test(entry) && existsSync(join(base, entry, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install postgresql');
  return join(base, majors[0], 'bin');
}

function runAsOwner(bin, args) {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const result = spawnSync(command, argv, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${[command, ...argv].join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
}

/**
 * Starts a server; `createDatabase(name)` answers a URL, `dropDatabase(name)` removes
 * one, `checkpoint()` flushes every dirty page (so an earlier run's writes are not
 * flushed during the next); `stop()` removes everything.
 */
export async function startPostgres() {
  const bin = binDir();
  const dir = makeTempDir('vigil-bench-pg-');
  if (process.getuid?.() === 0) {
    const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const pgdata = join(dir, 'data');
  runAsOwner(join(bin, 'initdb'), ['-D', pgdata, '-U', 'vigil', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=300',
    '-c log_min_messages=warning',
  ].join(' ');
  runAsOwner(join(bin, 'pg_ctl'), ['-D', pgdata, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
  const { default: pg } = await import('pg');
  const urlOf = (database) => `postgres://vigil@127.0.0.1:${port}/${database}`;
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: urlOf('postgres') });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  let stopped = false;
  const server = {
    port,
    async createDatabase(name) {
      await admin(`CREATE DATABASE ${name}`);
      return urlOf(name);
    },
    async dropDatabase(name) {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
    async checkpoint() {
      await admin('CHECKPOINT');
    },
    stop() {
      if (stopped) return;
      stopped = true;
      running.delete(server);
      try {
        runAsOwner(join(bin, 'pg_ctl'), ['-D', pgdata, '-m', 'fast', '-w', 'stop']);
      } finally {
        removeTempDir(dir);
      }
    },
  };
  running.add(server);
  return server;
}
