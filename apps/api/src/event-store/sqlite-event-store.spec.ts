import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
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
  it('opens the log in WAL mode, commits with synchronous=NORMAL and holds the WAL open to fsync it off the loop', async () => {
    const log = sqliteLog();
    const store = await SqliteEventStore.open({ file: log.file });
    try {
      const db = (store.typeorm.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL: no fsync inside the commit...
      // ...because WalSync fsyncs the WAL through a descriptor of its own before anything is acknowledged.
      const open = readdirSync('/proc/self/fd').map((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`);
        } catch {
          return '';
        }
      });
      expect(open.filter((target) => target === `${log.file}-wal`).length).toBeGreaterThanOrEqual(1);
    } finally {
      await store.close();
      await log.dispose();
    }
  });

  it('neither resolves nor publishes an append, nor moves its position, in the turn that commits it', async () => {
    const log = sqliteLog();
    const store = await SqliteEventStore.open({ file: log.file });
    try {
      const seen: number[] = [];
      const subscription = store.events$.subscribe((event) => seen.push(event.position));
      let resolved = false;
      const appended = store
        .append('probe-1', 0, [{ type: 'command.started', data: { commandId: 'c1' } }], { correlationId: 'c1' })
        .then((events) => {
          resolved = true;
          return events;
        });
      // The commit runs in the next check phase; its fsync on the thread pool after that.
      await new Promise((resolve) => setImmediate(resolve));
      expect(await log.isCommitted(1)).toBe(true);
      expect(resolved).toBe(false);
      expect(seen).toEqual([]);
      expect(store.position).toBe(0);
      const [event] = await appended;
      expect(event.position).toBe(1);
      expect(store.position).toBe(1);
      expect(seen).toEqual([1]);
      subscription.unsubscribe();
    } finally {
      await store.close();
      await log.dispose();
    }
  });
});
