import Database from 'better-sqlite3';
import type { StoredEvent } from '@vigil/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConcurrencyError, EventStoreClosedError } from './event-store';
import { SqliteEventStore } from './sqlite-event-store';

const meta = { correlationId: 'test', environment: 'staging' };

function started(commandId: string) {
  return { type: 'command.started' as const, data: { commandId } };
}

async function collect(iterable: AsyncIterable<StoredEvent>): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

describe('SqliteEventStore', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
    file = join(dir, 'events.db');
    store = await SqliteEventStore.open({ file });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens the log in WAL mode with synchronous=FULL', () => {
    const db = (store.typeorm.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
  });

  it('keeps positions gap-free and versions per stream under 50 concurrent appenders', async () => {
    const appenders = Array.from({ length: 50 }, async (_, appender) => {
      const stream = `s-${appender}`;
      let version = 0;
      for (let round = 0; round < 10; round++) {
        const size = 1 + ((appender + round) % 3);
        const events = Array.from({ length: size }, () => started(`${appender}-${round}`));
        const stored = await store.append(stream, version, events, meta);
        expect(stored.map((event) => event.version)).toEqual(events.map((_, index) => version + index + 1));
        version += size;
      }
      return version;
    });
    const totals = await Promise.all(appenders);
    const expectedTotal = totals.reduce((sum, count) => sum + count, 0);

    const all = await collect(store.read(1, { pageSize: 37 }));
    expect(all.map((event) => event.position)).toEqual(Array.from({ length: expectedTotal }, (_, index) => index + 1));
    expect(store.position).toBe(expectedTotal);
    for (let appender = 0; appender < 50; appender++) {
      const stream = await store.readStream(`s-${appender}`);
      expect(stream.map((event) => event.version)).toEqual(Array.from({ length: totals[appender] }, (_, index) => index + 1));
    }
  });

  it('rejects a stale expected version with a typed error and writes nothing for it', async () => {
    await store.append('orders', 0, [started('a')], meta);
    await expect(store.append('orders', 0, [started('b')], meta)).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(store.append('orders', 5, [started('c')], meta)).rejects.toMatchObject({ stream: 'orders', expected: 5, actual: 1 });
    expect(store.position).toBe(1);
    await expect(store.append('orders', 1, [started('d')], meta)).resolves.toHaveLength(1);
  });

  it('fails only the append whose data cannot be stored, not the others of its batch', async () => {
    const results = await Promise.allSettled([
      store.append('fine-1', 0, [started('a')], meta),
      store.append('broken', 0, [{ type: 'command.started', data: { commandId: 'b', size: 10n } }], meta),
      store.append('fine-2', 0, [started('c')], meta),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toHaveProperty(
      'message',
      expect.stringMatching(/event data or meta for broken cannot be stored as JSON/),
    );
    expect(store.position).toBe(2);
    expect((await store.verify()).ok).toBe(true);
  });

  it('lets exactly one of two racing "must not exist" appends win, even in one batch', async () => {
    const results = await Promise.allSettled([
      store.append('race', 0, [started('first')], meta),
      store.append('race', 0, [started('second')], meta),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected')!;
    expect(rejected.reason).toBeInstanceOf(ConcurrencyError);
    expect(store.position).toBe(1);
  });

  it('publishes on events$ only after commit, in position order', async () => {
    const seen: number[] = [];
    const subscription = store.events$.subscribe((event) => {
      // Visible to a reader at the moment it is published: it is committed.
      const reader = new Database(file, { readonly: true });
      const row = reader.prepare('SELECT position FROM events WHERE position = ?').get(event.position);
      reader.close();
      expect(row).toBeDefined();
      seen.push(event.position);
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(`p-${i}`, 'any', [started(`${i}`), started(`${i}`)], meta)));
    subscription.unsubscribe();
    expect(seen).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
  });

  it('verifies the hash chain and finds a row altered in the SQLite file at its position', async () => {
    for (let i = 0; i < 60; i++) await store.append(`v-${i % 7}`, 'any', [started(`c-${i}`)], meta);
    await expect(store.verify()).resolves.toMatchObject({ ok: true, checked: 60, lastPosition: 60 });

    const tamper = new Database(file);
    tamper.prepare('UPDATE events SET data = ? WHERE position = 37').run(JSON.stringify({ commandId: 'forged' }));
    tamper.close();

    await expect(store.verify()).resolves.toMatchObject({ ok: false, firstBadPosition: 37 });
  });

  it('detects a deleted row as a break in the sequence', async () => {
    for (let i = 0; i < 10; i++) await store.append('d', 'any', [started(`c-${i}`)], meta);
    const tamper = new Database(file);
    tamper.prepare('DELETE FROM events WHERE position = 4').run();
    tamper.close();
    await expect(store.verify()).resolves.toMatchObject({ ok: false, firstBadPosition: 4 });
  });

  it('detects rows cut from the end of the log while it was open', async () => {
    for (let i = 0; i < 10; i++) await store.append('t', 'any', [started(`c-${i}`)], meta);
    const tamper = new Database(file);
    tamper.prepare('DELETE FROM events WHERE position > 7').run();
    tamper.close();
    await expect(store.verify()).resolves.toMatchObject({
      ok: false,
      checked: 7,
      firstBadPosition: 8,
      reason: 'positions 8 to 10 are missing (the log was cut short)',
    });
  });

  it('continues the chain and positions after reopening the file', async () => {
    await store.append('r', 0, [started('1'), started('2')], meta);
    await store.close();
    store = await SqliteEventStore.open({ file });
    expect(store.position).toBe(2);
    await store.append('r', 2, [started('3')], meta);
    await expect(store.verify()).resolves.toMatchObject({ ok: true, checked: 3 });
  });

  it('filters reads by type, environment and end position', async () => {
    await store.append('f', 'any', [started('a')], { correlationId: 't', environment: 'production' });
    await store.append('f', 'any', [{ type: 'command.progress', data: { commandId: 'b', percent: 50, step: 'x' } }], meta);
    await store.append('f', 'any', [started('c')], { correlationId: 't' });
    await store.append('f', 'any', [started('d')], meta);

    const staging = await collect(store.read(1, { environment: 'staging' }));
    expect(staging.map((event) => event.position)).toEqual([2, 3, 4]);
    const startedOnly = await collect(store.read(1, { types: ['command.started'], toPosition: 3 }));
    expect(startedOnly.map((event) => event.position)).toEqual([1, 3]);
  });

  it('lists streams opened but never closed', async () => {
    await store.append('command-a', 0, [{ type: 'command.accepted', data: acceptedData('a') }], meta);
    await store.append('command-b', 0, [{ type: 'command.accepted', data: acceptedData('b') }], meta);
    await store.append('command-b', 1, [{ type: 'command.completed', data: { commandId: 'b', durationMs: 1 } }], meta);
    await store.append('other-c', 0, [{ type: 'command.accepted', data: acceptedData('c') }], meta);
    await expect(store.openStreams('command-', 'command.accepted', ['command.completed'])).resolves.toEqual(['command-a']);
  });

  it('shares the file with a second writer process: chain continues and its events are published', async () => {
    const other = await SqliteEventStore.open({ file }); // stands in for the CLI
    const seen: number[] = [];
    const subscription = store.events$.subscribe((event) => seen.push(event.position));
    await store.append('a', 0, [started('1')], meta);
    await other.append('user-x', 0, [started('cli')], meta); // the other process does not know position 1 yet
    await store.append('a', 1, [started('2')], meta); // takes in position 2 first, then writes 3
    expect(seen).toEqual([1, 2, 3]);
    await other.append('user-y', 0, [started('cli-idle')], meta); // while this one is idle…
    await new Promise((resolve) => setTimeout(resolve, 700)); // …its poll notices within a tick
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(store.position).toBe(4);
    await expect(store.verify()).resolves.toMatchObject({ ok: true, checked: 4 });
    subscription.unsubscribe();
    await other.close();
  });

  it('flushes queued appends on close and refuses appends afterwards', async () => {
    const pending = store.append('c', 0, [started('x')], meta);
    await store.close();
    await expect(pending).resolves.toHaveLength(1);
    await expect(store.append('c', 1, [started('y')], meta)).rejects.toBeInstanceOf(EventStoreClosedError);
    store = await SqliteEventStore.open({ file });
    expect(store.position).toBe(1);
  });
});

function acceptedData(commandId: string) {
  return { commandId, type: 'ping', target: 'vigil', environment: 'staging', params: {}, requestHash: 'h' };
}
