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

/** The pragmas the store sets (apps/api/src/common/sqlite-data-source.ts), read back from an open connection. */
export function pragmasOf(db) {
  return {
    journalMode: db.pragma('journal_mode', { simple: true }),
    synchronous: db.pragma('synchronous', { simple: true }),
    busyTimeout: db.pragma('busy_timeout', { simple: true }),
  };
}

/**
 * Writes `events` rows in transactions of `batchSize` (BEGIN IMMEDIATE … COMMIT),
 * rows shaped as append.mjs's callers make them: caller = (position − 1) mod
 * `callers`, stream `bench-<caller>`, versions 1.. per stream, the same data and
 * meta JSON text, one time string per batch. `chain`: compute the sha256 chain
 * over the canonical envelope per row, with the one-shot sha256 the store uses; otherwise store a
 * constant hash. Returns { events, commits, seconds, eventsPerSecond, pragmas }.
 */
export function bareAppend({ file, schema, events, callers, batchSize, chain, meta }) {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    for (const sql of schema) db.exec(sql);
    const pragmas = pragmasOf(db);
    const insert = db.prepare(
      'INSERT INTO events (position, stream, version, type, environment, data, meta, time, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const begin = db.prepare('BEGIN IMMEDIATE');
    const commit = db.prepare('COMMIT');
    const metaJson = JSON.stringify(meta);
    const environment = meta.environment ?? null;
    const type = 'command.output';
    const typeJson = JSON.stringify(type);
    let hash = chain ? GENESIS : NO_HASH;
    let position = 0;
    let commits = 0;
    const started = performance.now();
    while (position < events) {
      begin.run();
      const time = new Date().toISOString();
      const timeJson = JSON.stringify(time);
      const end = Math.min(events, position + batchSize);
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
      commits += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    return { events: position, commits, seconds, eventsPerSecond: Math.round(position / seconds), pragmas };
  } finally {
    db.close();
  }
}

/** The data JSON of append.mjs's event for (caller, seq), keys sorted as canonical JSON has them. */
export function bareDataJson(caller, seq) {
  return `{"commandId":"bench-${caller}","lines":[{"stream":"stdout","text":"pong","time":"2026-01-01T00:00:00.000Z"}],"seq":${seq}}`;
}
