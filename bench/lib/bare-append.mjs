// The disk ceiling for append.mjs: a bare better-sqlite3 loop, no Vigil code, on
// its own file with the store's schema and pragmas, committing fixed-size batches
// of the rows the benchmark's callers write. Synchronous and back to back: no
// promises, no event-loop turns, no per-append bookkeeping.
import { createRequire } from 'node:module';
import { hash as sha256 } from 'node:crypto';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

const GENESIS = '0'.repeat(64);
/** What `hash` holds when the chain is not computed (same length as a sha256 hex). */
const NO_HASH = 'f'.repeat(64);

/**
 * The DDL of the `events` table and its indexes as SQLite stored it in `file`
 * (a log the store created with its migration): the baseline gets exactly that schema.
 */
export function eventsSchemaOf(file) {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'events' AND sql IS NOT NULL ORDER BY type DESC, name").pluck().all();
  } finally {
    db.close();
  }
}

/**
 * The settings that shape a commit's cost, read back from an open connection: the
 * store's (WAL, synchronous=FULL from sqlite-data-source.ts, foreign_keys=ON from
 * TypeORM's driver) and SQLite's defaults the baseline must share.
 */
export function pragmasOf(db) {
  const names = ['journal_mode', 'synchronous', 'foreign_keys', 'page_size', 'cache_size', 'wal_autocheckpoint', 'locking_mode'];
  return Object.fromEntries(names.map((name) => [name, db.pragma(name, { simple: true })]));
}

/**
 * A log file written the bare way: rows shaped as append.mjs's callers make them
 * (caller = (position − 1) mod `callers`, stream `bench-<caller>`, versions 1..
 * per stream, the same data and meta JSON text, one time string per commit), in
 * transactions of a given size (BEGIN IMMEDIATE … COMMIT), synchronously and back
 * to back. `chain`: compute the sha256 chain over the canonical envelope per row,
 * with the one-shot sha256 the store uses; otherwise store a constant hash.
 * `write()` continues where the previous one stopped, so the benchmark can
 * interleave short stretches of it with the store's.
 */
export class BareLog {
  constructor({ file, schema, callers, chain, meta }) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    for (const sql of schema) this.db.exec(sql);
    this.pragmas = pragmasOf(this.db);
    this.insert = this.db.prepare(
      'INSERT INTO events (position, stream, version, type, environment, data, meta, time, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.begin = this.db.prepare('BEGIN IMMEDIATE');
    this.commit = this.db.prepare('COMMIT');
    this.callers = callers;
    this.chain = chain;
    this.metaJson = JSON.stringify(meta);
    this.environment = meta.environment ?? null;
    this.hash = chain ? GENESIS : NO_HASH;
    this.position = 0;
    this.commits = 0;
    this.seconds = 0;
  }

  /** Writes `events` more rows in commits of `batchSize`; answers the seconds it took. */
  write(events, batchSize) {
    const { insert, begin, commit, callers, chain, metaJson, environment } = this;
    const type = 'command.output';
    const typeJson = JSON.stringify(type);
    let { hash, position } = this;
    const last = position + events;
    const started = performance.now();
    while (position < last) {
      begin.run();
      const time = new Date().toISOString();
      const timeJson = JSON.stringify(time);
      const end = Math.min(last, position + batchSize);
      while (position < end) {
        position += 1;
        const caller = (position - 1) % callers;
        const version = Math.floor((position - 1) / callers) + 1;
        const stream = `bench-${caller}`;
        const data = bareDataJson(caller, version - 1);
        if (chain) {
          const envelope =
            `{"data":${data},"meta":${metaJson},"position":${position},"stream":${JSON.stringify(stream)},` +
            `"time":${timeJson},"type":${typeJson},"version":${version}}`;
          hash = sha256('sha256', hash + envelope, 'hex'); // as the store's chainHash does it
        }
        insert.run(position, stream, version, type, environment, data, metaJson, time, hash);
      }
      commit.run();
      this.commits += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    this.hash = hash;
    this.position = position;
    this.seconds += seconds;
    return seconds;
  }

  close() {
    this.db.close();
  }
}

/** The data JSON of append.mjs's event for (caller, seq), keys sorted as canonical JSON has them. */
export function bareDataJson(caller, seq) {
  return `{"commandId":"bench-${caller}","lines":[{"stream":"stdout","text":"pong","time":"2026-01-01T00:00:00.000Z"}],"seq":${seq}}`;
}
