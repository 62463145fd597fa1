import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStore, type LogUnderTest } from '../../../../test/support/event-store-suite';
import { SqliteEventStore } from './sqlite-event-store';

function sqliteLog(): LogUnderTest & { file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
  const file = join(dir, 'events.db');
  // A second connection, as an attacker (or another process) with the file would have.
  const onFile = <T>(work: (db: Database.Database) => T): Promise<T> => {
    const db = new Database(file);
    try {
      return Promise.resolve(work(db));
    } finally {
      db.close();
    }
  };
  return {
    file,
    open: () => SqliteEventStore.open({ file }),
    // Synchronous: answers for the very moment it is asked.
    isCommitted: (position) => onFile((db) => db.prepare('SELECT 1 FROM events WHERE position = ?').get(position) !== undefined),
    alterData: async (position, dataJson) => {
      await onFile((db) => db.prepare('UPDATE events SET data = ? WHERE position = ?').run(dataJson, position));
    },
    deleteRow: async (position) => {
      await onFile((db) => db.prepare('DELETE FROM events WHERE position = ?').run(position));
    },
    deleteAfter: async (position) => {
      await onFile((db) => db.prepare('DELETE FROM events WHERE position > ?').run(position));
    },
    dispose: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

describeEventStore({ name: 'SQLite', create: () => Promise.resolve(sqliteLog()) });

describe('SqliteEventStore', () => {
  it('opens the log in WAL mode with synchronous=FULL', async () => {
    const log = sqliteLog();
    const store = await SqliteEventStore.open({ file: log.file });
    try {
      const db = (store.typeorm.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    } finally {
      await store.close();
      await log.dispose();
    }
  });
});
