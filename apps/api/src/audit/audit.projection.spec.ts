import { Logger } from '@nestjs/common';
import type { AuditEntry, EventMeta, NewEvent } from '@vigil/shared';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachEngine, type StoreEngine } from '../../../../test/support/store-engines';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import type { AuditStore } from './audit-store';
import { AuditProjection } from './audit.projection';
import { PgAuditStore } from './pg-audit-store';
import { SqliteAuditStore } from './sqlite-audit-store';

/** The audit store on either engine (the log is SQLite here: the read model's engine is what is under test). */
function openAuditStore(
  engine: StoreEngine,
  file: string,
  node = 'a',
  pool = engine.name === 'postgres' ? engine.pool() : undefined,
): Promise<AuditStore> {
  return engine.name === 'sqlite' ? SqliteAuditStore.open({ file }) : PgAuditStore.open({ pool: pool!, settings: engine.settings(), node });
}

/** Deletes the read model as a whole: projections.db, or every table of the test database. */
async function dropReadModel(engine: StoreEngine, file: string): Promise<void> {
  if (engine.name === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    expect(existsSync(file)).toBe(false);
  } else {
    await engine.rows('DROP SCHEMA public CASCADE');
    await engine.rows('CREATE SCHEMA public');
  }
}

function meta(username: string, environment = 'staging'): EventMeta {
  return { actor: { id: username, username, roles: [] }, ip: '127.0.0.1', environment, correlationId: `c-${username}` };
}

let counter = 0;
/** A whole command lifecycle appended as the handlers would: accepted, started, output, one terminal event. */
async function runCommand(
  store: SqliteEventStore,
  username: string,
  end: 'completed' | 'failed' | 'cancelled' | 'interrupted' | 'open' = 'completed',
): Promise<string> {
  counter += 1;
  const commandId = `cmd-${counter}`;
  const stream = `command-${commandId}`;
  const m = meta(username);
  await store.append(
    stream,
    0,
    [
      {
        type: 'command.accepted',
        data: { commandId, type: 'ping', target: 'vigil', environment: 'staging', params: { n: counter }, requestHash: 'h' },
      },
    ],
    m,
  );
  if (end === 'open') return commandId;
  const rest: NewEvent[] = [
    { type: 'command.started', data: { commandId } },
    { type: 'command.output', data: { commandId, seq: 0, lines: [{ stream: 'stdout', text: 'pong', time: new Date().toISOString() }] } },
  ];
  if (end === 'completed') rest.push({ type: 'command.completed', data: { commandId, durationMs: 3, exitCode: 0 } });
  if (end === 'failed') rest.push({ type: 'command.failed', data: { commandId, durationMs: 4, reason: 'boom', exitCode: 2 } });
  if (end === 'cancelled') rest.push({ type: 'command.cancelled', data: { commandId, durationMs: 5, reason: 'stop it' } });
  if (end === 'interrupted') rest.push({ type: 'command.interrupted', data: { commandId, reason: 'restart' } });
  await store.append(stream, 1, rest, m);
  return commandId;
}

async function deny(store: SqliteEventStore, username: string): Promise<string> {
  counter += 1;
  const commandId = `denied-${counter}`;
  await store.append(
    `command-${commandId}`,
    0,
    [{ type: 'command.denied', data: { commandId, type: 'deploy', target: 'api', environment: 'production', reason: 'not allowed' } }],
    meta(username, 'production'),
  );
  return commandId;
}

forEachEngine((engine) => {
  let dir: string;
  let store: SqliteEventStore;
  let projectionsFile: string;
  const open: { projection: AuditProjection; audit: AuditStore }[] = [];

  async function startProjection(): Promise<{ projection: AuditProjection; audit: AuditStore }> {
    const audit = await openAuditStore(engine, projectionsFile);
    const projection = new AuditProjection(store, audit);
    await projection.start();
    const handle = { projection, audit };
    open.push(handle);
    return handle;
  }

  async function stopProjection(handle: { projection: AuditProjection; audit: AuditStore }): Promise<void> {
    await handle.projection.onApplicationShutdown();
    open.splice(open.indexOf(handle), 1);
  }

  beforeAll(() => {
    Logger.overrideLogger(['error']);
  });

  beforeEach(async () => {
    counter = 0; // command ids and params start over for each engine
    dir = mkdtempSync(join(tmpdir(), 'vigil-audit-'));
    projectionsFile = join(dir, 'projections.db');
    store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
  });

  afterEach(async () => {
    for (const handle of open.splice(0)) await handle.projection.onApplicationShutdown();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  if (engine.name === 'sqlite') {
    it('opens projections.db in WAL mode with synchronous=NORMAL', async () => {
      const { audit } = await startProjection();
      if (!(audit instanceof SqliteAuditStore)) throw new Error('expected the SQLite store');
      expect(audit.connection.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(audit.connection.pragma('synchronous', { simple: true })).toBe(1);
    });
  }

  it('folds every outcome, denied attempts included, and follows the log live', async () => {
    const ids = {
      completed: await runCommand(store, 'alice'),
      failed: await runCommand(store, 'bob', 'failed'),
      cancelled: await runCommand(store, 'alice', 'cancelled'),
      interrupted: await runCommand(store, 'bob', 'interrupted'),
      pending: await runCommand(store, 'alice', 'open'),
      denied: await deny(store, 'mallory'),
    };
    const { projection, audit } = await startProjection();
    expect(audit.position).toBe(store.position);
    expect(await audit.get(ids.completed)).toMatchObject({
      outcome: 'completed',
      actor: 'alice',
      exitCode: 0,
      durationMs: 3,
      params: { n: 1 },
    });
    expect(await audit.get(ids.failed)).toMatchObject({ outcome: 'failed', reason: 'boom', exitCode: 2 });
    expect(await audit.get(ids.cancelled)).toMatchObject({ outcome: 'cancelled', reason: 'stop it' });
    expect(await audit.get(ids.interrupted)).toMatchObject({ outcome: 'interrupted', reason: 'restart' });
    expect(await audit.get(ids.pending)).toMatchObject({ outcome: 'pending' });
    expect(await audit.get(ids.denied)).toMatchObject({
      outcome: 'denied',
      actor: 'mallory',
      environment: 'production',
      reason: 'not allowed',
    });

    // Live: the next command's events arrive on events$ and are folded within a turn.
    const live = await runCommand(store, 'carol', 'failed');
    expect(await projection.waitFor(store.position, 2_000)).toBe(true);
    expect(await audit.get(live)).toMatchObject({ outcome: 'failed', actor: 'carol' });
    expect(audit.checkpoint).toEqual({ position: store.position, hash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown });
  });

  it('catches up from its checkpoint after a restart, reading only what it has not folded', async () => {
    await runCommand(store, 'alice');
    const first = await startProjection();
    const checkpoint = first.audit.position;
    expect(checkpoint).toBe(store.position);
    await stopProjection(first);

    const later = [await runCommand(store, 'bob'), await runCommand(store, 'bob', 'failed')];
    const reads: number[] = [];
    const read = store.read.bind(store);
    store.read = (from, filter) => {
      reads.push(from);
      return read(from, filter);
    };
    const second = await startProjection();
    store.read = read;
    // One read to check the checkpoint's hash, one from checkpoint + 1.
    expect(reads).toEqual([checkpoint, checkpoint + 1]);
    expect(second.projection.stats.caughtUp).toBe(store.position - checkpoint);
    expect(second.audit.position).toBe(store.position);
    expect(await second.audit.get(later[0])).toMatchObject({ outcome: 'completed', actor: 'bob' });
    expect(await second.audit.get(later[1])).toMatchObject({ outcome: 'failed' });
    expect(await second.audit.all()).toHaveLength(3);
  });

  it('loses nothing and counts nothing twice when events are committed during the catch-up', async () => {
    for (let i = 0; i < 30; i++) await runCommand(store, 'alice');
    const audit = await openAuditStore(engine, projectionsFile);
    const projection = new AuditProjection(store, audit);
    open.push({ projection, audit });
    const starting = projection.start();
    const during = Promise.all(
      Array.from({ length: 20 }, (_, i) => runCommand(store, i % 2 ? 'bob' : 'carol', i % 3 ? 'completed' : 'failed')),
    );
    await Promise.all([starting, during]);
    await projection.waitFor(store.position);
    expect(audit.position).toBe(store.position);
    const rows = await audit.all();
    expect(rows).toHaveLength(50);
    expect(rows.every((row) => row.outcome === 'completed' || row.outcome === 'failed')).toBe(true);
  });

  it('folds a burst of commands in one transaction, not one per event', async () => {
    const { projection } = await startProjection();
    const before = projection.stats.batches;
    // 500 appends queued in one turn: the store commits them together and publishes them in one go.
    const appends = Array.from({ length: 500 }, (_, i) =>
      store.append(
        `command-burst-${i}`,
        0,
        [
          {
            type: 'command.accepted',
            data: { commandId: `burst-${i}`, type: 'ping', target: 'vigil', environment: 'staging', params: {}, requestHash: 'h' },
          },
        ],
        meta('alice'),
      ),
    );
    await Promise.all(appends);
    await projection.waitFor(store.position);
    expect(projection.stats.batches - before).toBe(1);
    expect(await projection.reader.page({}, undefined, 1000)).toHaveLength(500);
  });

  it('rebuilds identical rows after projections.db is deleted', async () => {
    for (let i = 0; i < 40; i++)
      await runCommand(store, i % 2 ? 'alice' : 'bob', (['completed', 'failed', 'cancelled', 'interrupted', 'open'] as const)[i % 5]);
    for (let i = 0; i < 5; i++) await deny(store, 'mallory');
    const first = await startProjection();
    await runCommand(store, 'dave'); // some live, too
    await first.projection.waitFor(store.position);
    const before = await first.audit.all();
    const checkpoint = first.audit.checkpoint;
    expect(before).toHaveLength(46);
    await stopProjection(first);

    await dropReadModel(engine, projectionsFile);
    const second = await startProjection();
    expect(await second.audit.all()).toEqual(before);
    expect(second.audit.checkpoint).toEqual(checkpoint);
  });

  it('rebuilds when its checkpoint does not belong to this log', async () => {
    await runCommand(store, 'alice');
    await runCommand(store, 'alice');
    const first = await startProjection();
    await stopProjection(first);
    // A different (shorter) log in place of the old one: the checkpoint is past its end.
    await store.close();
    rmSync(join(dir, 'events.db'), { force: true });
    rmSync(join(dir, 'events.db-wal'), { force: true });
    rmSync(join(dir, 'events.db-shm'), { force: true });
    store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
    const only = await runCommand(store, 'zed');
    const second = await startProjection();
    expect(second.projection.stats.rebuilt).toBe(true);
    expect((await second.audit.all()).map((row) => row.commandId)).toEqual([only]);
  });

  it('pages newest first with filters and keyset cursors', async () => {
    for (let i = 0; i < 25; i++) await runCommand(store, i % 2 ? 'alice' : 'bob', i % 5 === 0 ? 'failed' : 'completed');
    const { audit } = await startProjection();
    const seen: number[] = [];
    for await (const page of audit.pages({}, 7)) seen.push(...page.map((row) => row.acceptedPosition));
    expect(seen).toHaveLength(25);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    const alice: AuditEntry[] = [];
    for await (const page of audit.pages({ actor: 'alice' }, 4)) alice.push(...page);
    expect(alice).toHaveLength(12);
    expect(alice.every((row) => row.actor === 'alice')).toBe(true);
    expect(await audit.page({ outcome: 'failed' }, undefined, 100)).toHaveLength(5);
    expect(await audit.page({ actor: 'bob', outcome: 'failed' }, undefined, 100)).toHaveLength(3);
    const middle = (await audit.page({}, undefined, 25))[12];
    expect((await audit.page({ from: middle.acceptedAt }, undefined, 100)).every((row) => row.acceptedAt >= middle.acceptedAt)).toBe(true);
    expect((await audit.page({ to: middle.acceptedAt }, undefined, 100)).every((row) => row.acceptedAt < middle.acceptedAt)).toBe(true);
  });
});
