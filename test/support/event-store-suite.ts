import type { StoredEvent } from '@vigil/shared';
import { ConcurrencyError, EventStoreClosedError, type EventStore } from '../../apps/api/src/event-store/event-store';
import { eventually } from './http';

/**
 * One event log under test, on some engine: a fresh empty log, more store
 * instances on it (a second process or node), and the tampering a verify test
 * needs, done behind the store's back as an attacker with file or SQL access would.
 */
export interface LogUnderTest {
  /** Opens a store instance on this log (another process or cluster node). */
  open(): Promise<EventStore>;
  /** Whether a reader of its own (not the store) sees the row at `position` now. */
  isCommitted(position: number): Promise<boolean>;
  /** Overwrites the data of the row at `position`. */
  alterData(position: number, dataJson: string): Promise<void>;
  /** Deletes the row at `position`. */
  deleteRow(position: number): Promise<void>;
  /** Deletes every row after `position`. */
  deleteAfter(position: number): Promise<void>;
  /** Removes the log (after its stores are closed). */
  dispose(): Promise<void>;
}

export interface EngineUnderTest {
  name: string;
  /** An empty log of its own. */
  create(): Promise<LogUnderTest>;
  /** Timeout for each test (a real server is slower than a file). */
  timeoutMs?: number;
}

export const suiteMeta = { correlationId: 'test', environment: 'staging' };

export function started(commandId: string) {
  return { type: 'command.started' as const, data: { commandId } };
}

export function acceptedData(commandId: string) {
  return { commandId, type: 'ping', target: 'vigil', environment: 'staging', params: {}, requestHash: 'h' };
}

export async function collect(iterable: AsyncIterable<StoredEvent>): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

/** 1..n */
export function positions(n: number): number[] {
  return Array.from({ length: n }, (_, index) => index + 1);
}

/**
 * The behaviour every EventStore engine must have: run by each engine's spec
 * (SQLite and PostgreSQL), so both pass the same suite.
 */
export function describeEventStore(engine: EngineUnderTest): void {
  const meta = suiteMeta;

  describe(`EventStore contract on ${engine.name}`, () => {
    let log: LogUnderTest;
    let store: EventStore;
    const others: EventStore[] = [];

    beforeEach(async () => {
      log = await engine.create();
      store = await log.open();
    }, engine.timeoutMs);

    afterEach(async () => {
      for (const other of others.splice(0)) await other.close();
      await store.close();
      await log.dispose();
    }, engine.timeoutMs);

    const it = (name: string, test: () => Promise<void>): void => {
      globalThis.it(name, test, engine.timeoutMs);
    };

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
      expect(all.map((event) => event.position)).toEqual(positions(expectedTotal));
      expect(store.position).toBe(expectedTotal);
      for (let appender = 0; appender < 50; appender++) {
        const stream = await store.readStream(`s-${appender}`);
        expect(stream.map((event) => event.version)).toEqual(positions(totals[appender]));
      }
      await expect(store.verify()).resolves.toMatchObject({ ok: true, checked: expectedTotal });
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

    it('publishes on events$ only after commit, in position order, before the append resolves', async () => {
      const seen: number[] = [];
      const visible: Promise<boolean>[] = [];
      const subscription = store.events$.subscribe((event) => {
        // Asked the moment it is published: another reader already sees it.
        visible.push(log.isCommitted(event.position));
        seen.push(event.position);
      });
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const stored = await store.append(`p-${i}`, 'any', [started(`${i}`), started(`${i}`)], meta);
          // By the time the caller resumes, its events were published.
          for (const event of stored) expect(seen).toContain(event.position);
        }),
      );
      subscription.unsubscribe();
      expect(seen).toEqual(positions(40));
      expect(await Promise.all(visible)).toEqual(Array.from({ length: 40 }, () => true));
    });

    it('hashes the same canonical JSON: an event reads back with the hash it was stored with', async () => {
      const [stored] = await store.append(
        'h',
        0,
        [{ type: 'command.started', data: { commandId: 'x', z: 1, a: [2, { c: 3, b: 'é' }] } }],
        meta,
      );
      const [read] = await store.readStream('h');
      expect(read).toEqual(stored);
      expect(Object.keys(read)).toEqual(['position', 'stream', 'version', 'type', 'data', 'meta', 'time', 'hash']);
      expect(read.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('resolves and publishes events exactly as they read back: same JSON, key order included, nothing shared with the caller', async () => {
      const published: StoredEvent[] = [];
      const subscription = store.events$.subscribe((event) => published.push(event));
      const data = { z: -0, commandId: 'k', skip: undefined, list: [3, undefined, { b: 2, a: 1 }], '10': 'n', '2': 'm' };
      const callerMeta = { environment: 'staging', correlationId: 'shape', actor: { username: 'u', id: '1', roles: ['b', 'a'] } };
      const stored = await store.append('shape', 0, [{ type: 'command.started', data }, started('second')], callerMeta);
      subscription.unsubscribe();
      const read = await store.readStream('shape');
      expect(JSON.stringify(stored)).toBe(JSON.stringify(read));
      expect(JSON.stringify(published)).toBe(JSON.stringify(read));
      expect(stored).toStrictEqual(read);
      expect(stored[0].data).not.toBe(data);
      expect(stored[0].meta).not.toBe(callerMeta);
      expect(stored[1].meta).not.toBe(stored[0].meta);
      data.list.push(4);
      callerMeta.actor.roles.push('c');
      expect(JSON.stringify(stored)).toBe(JSON.stringify(read));
    });

    it('keeps versions of streams whose names hold quotes, backslashes, wildcards and other scripts', async () => {
      const names = ["it's", 'back\\slash', "E'\\x27; DROP TABLE events; --", '100%_done', 'ünïcødé-流', 'a"b'];
      for (const name of names) await store.append(name, 0, [started('1')], meta);
      const again = await Promise.allSettled(names.map((name) => store.append(name, 0, [started('2')], meta)));
      expect(again.every((result) => result.status === 'rejected' && result.reason instanceof ConcurrencyError)).toBe(true);
      for (const name of names) {
        await store.append(name, 1, [started('2')], meta);
        expect((await store.readStream(name)).map((event) => [event.stream, event.version])).toEqual([
          [name, 1],
          [name, 2],
        ]);
      }
      await expect(store.verify()).resolves.toMatchObject({ ok: true, checked: names.length * 2 });
    });

    it('verifies the hash chain and finds a row altered behind its back at its position', async () => {
      for (let i = 0; i < 60; i++) await store.append(`v-${i % 7}`, 'any', [started(`c-${i}`)], meta);
      await expect(store.verify()).resolves.toMatchObject({ ok: true, checked: 60, lastPosition: 60 });
      await log.alterData(37, JSON.stringify({ commandId: 'forged' }));
      await expect(store.verify()).resolves.toMatchObject({ ok: false, firstBadPosition: 37, reason: 'hash mismatch at position 37' });
    });

    it('detects a deleted row as a break in the sequence', async () => {
      for (let i = 0; i < 10; i++) await store.append('d', 'any', [started(`c-${i}`)], meta);
      await log.deleteRow(4);
      await expect(store.verify()).resolves.toMatchObject({ ok: false, firstBadPosition: 4 });
    });

    it('detects rows cut from the end of the log', async () => {
      for (let i = 0; i < 10; i++) await store.append('t', 'any', [started(`c-${i}`)], meta);
      await log.deleteAfter(7);
      await expect(store.verify()).resolves.toMatchObject({
        ok: false,
        checked: 7,
        firstBadPosition: 8,
        reason: 'positions 8 to 10 are missing (the log was cut short)',
      });
    });

    it('continues the chain and positions after reopening', async () => {
      await store.append('r', 0, [started('1'), started('2')], meta);
      await store.close();
      store = await log.open();
      expect(store.position).toBe(2);
      await store.append('r', 2, [started('3')], meta);
      await expect(store.verify()).resolves.toMatchObject({ ok: true, checked: 3 });
    });

    it('filters reads by type, environment and end position, page by page', async () => {
      await store.append('f', 'any', [started('a')], { correlationId: 't', environment: 'production' });
      await store.append('f', 'any', [{ type: 'command.progress', data: { commandId: 'b', percent: 50, step: 'x' } }], meta);
      await store.append('f', 'any', [started('c')], { correlationId: 't' });
      await store.append('f', 'any', [started('d')], meta);

      const staging = await collect(store.read(1, { environment: 'staging' }));
      expect(staging.map((event) => event.position)).toEqual([2, 3, 4]);
      const startedOnly = await collect(store.read(1, { types: ['command.started'], toPosition: 3 }));
      expect(startedOnly.map((event) => event.position)).toEqual([1, 3]);
      const paged = await collect(store.read(2, { pageSize: 1 }));
      expect(paged.map((event) => event.position)).toEqual([2, 3, 4]);
      await expect(collect(store.read(5))).resolves.toEqual([]);
    });

    it('lists streams opened but never closed', async () => {
      await store.append('command-a', 0, [{ type: 'command.accepted', data: acceptedData('a') }], meta);
      await store.append('command-b', 0, [{ type: 'command.accepted', data: acceptedData('b') }], meta);
      await store.append('command-b', 1, [{ type: 'command.completed', data: { commandId: 'b', durationMs: 1 } }], meta);
      await store.append('other-c', 0, [{ type: 'command.accepted', data: acceptedData('c') }], meta);
      await store.append('command_d', 0, [{ type: 'command.accepted', data: acceptedData('d') }], meta);
      await expect(store.openStreams('command-', 'command.accepted', ['command.completed'])).resolves.toEqual(['command-a']);
    });

    it('finds the position at a time: the last event at or before it', async () => {
      await expect(store.positionAt(new Date())).resolves.toBe(0);
      await store.append('t', 'any', [started('1')], meta);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const between = new Date();
      await new Promise((resolve) => setTimeout(resolve, 5));
      await store.append('t', 'any', [started('2'), started('3')], meta);
      const all = await collect(store.read(1));
      expect(await store.positionAt(between)).toBe(1);
      expect(await store.positionAt(new Date(all[2].time))).toBe(3);
      expect(await store.positionAt(new Date(Date.parse(all[0].time) - 1))).toBe(0);
      expect(all.map((event) => event.time)).toEqual([...all.map((event) => event.time)].sort());
    });

    it('shares the log with a second writer: the chain continues and its events are published', async () => {
      const other = await log.open(); // the CLI, or another node
      others.push(other);
      const seen: number[] = [];
      const subscription = store.events$.subscribe((event) => seen.push(event.position));
      await store.append('a', 0, [started('1')], meta);
      await other.append('user-x', 0, [started('cli')], meta); // the other writer does not know position 1 yet
      await store.append('a', 1, [started('2')], meta); // takes in position 2 first, then writes 3
      expect(seen).toEqual([1, 2, 3]);
      await other.append('user-y', 0, [started('cli-idle')], meta); // while this one is idle…
      await eventually('the idle store to publish the other writer’s event', () => (seen.length === 4 ? true : undefined), 5000);
      expect(seen).toEqual([1, 2, 3, 4]);
      expect(store.position).toBe(4);
      await expect(store.verify()).resolves.toMatchObject({ ok: true, checked: 4 });
      subscription.unsubscribe();
    });

    it('flushes queued appends on close and refuses appends afterwards', async () => {
      const pending = store.append('c', 0, [started('x')], meta);
      await store.close();
      await expect(pending).resolves.toHaveLength(1);
      await expect(store.append('c', 1, [started('y')], meta)).rejects.toBeInstanceOf(EventStoreClosedError);
      store = await log.open();
      expect(store.position).toBe(1);
    });

    it('commits an append that may wait within its delay, or with the next append, ahead of it', async () => {
      // Alone: nothing else comes, so the delay runs out.
      const alone = store.append('w', 'any', [started('alone')], meta, { maxDelayMs: 300 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(store.position).toBe(0);
      expect((await alone)[0].position).toBe(1);

      // Two that may wait, then one that may not: all in one go, in the order they came.
      const waiting = [
        store.append('w', 'any', [started('a')], meta, { maxDelayMs: 60_000 }),
        store.append('w', 'any', [started('b')], meta, { maxDelayMs: 60_000 }),
      ];
      const urgent = await store.append('u', 'any', [started('u')], meta);
      const [a, b] = await Promise.all(waiting);
      expect([a[0].position, b[0].position, urgent[0].position]).toEqual([2, 3, 4]);

      // Close commits one still waiting.
      const last = store.append('w', 'any', [started('last')], meta, { maxDelayMs: 60_000 });
      await store.close();
      expect((await last)[0].position).toBe(5);
      store = await log.open();
      expect(store.position).toBe(5);
    });
  });
}
