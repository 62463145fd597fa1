import { evolveDashboard, initialDashboardState, type DashboardState, type NewEvent, type StoredEvent } from '@vigil/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { SqliteTimeSeriesStore } from '../metrics/tsdb/sqlite-time-series-store';
import type { TimeSeriesStore } from '../metrics/tsdb/time-series-store';
import { buildCheckpoints } from '../dashboard/checkpoint-builder';
import { CHECKPOINT_SCHEMA_VERSION, type CheckpointStore } from '../dashboard/checkpoint-store';
import { PgCheckpointStore } from '../dashboard/pg-checkpoint-store';
import { SqliteCheckpointStore } from '../dashboard/sqlite-checkpoint-store';
import { forEachEngine } from '../../../../test/support/store-engines';
import { LogReplaySource } from './log-replay-source';

const EVERY = 100;

/** A command's life in `environment`: accepted, started, output, then completed or failed. */
function commandEvents(n: number, environment: string): NewEvent[] {
  const commandId = `cmd-${n}`;
  const outcome: NewEvent =
    n % 7 === 0
      ? { type: 'command.failed', data: { commandId, durationMs: 5, reason: 'exit 1' } }
      : { type: 'command.completed', data: { commandId, durationMs: 3, exitCode: 0 } };
  return [
    { type: 'command.accepted', data: { commandId, type: 'restart', target: 'web-server', environment, params: {}, requestHash: 'h' } },
    { type: 'command.started', data: { commandId } },
    {
      type: 'command.output',
      data: { commandId, seq: 0, lines: [{ stream: 'stdout', text: `line of ${n}`, time: new Date(0).toISOString() }] },
    },
    outcome,
  ];
}

async function appendCommands(store: SqliteEventStore, from: number, count: number): Promise<void> {
  for (let n = from; n < from + count; n++) {
    const environment = n % 2 === 0 ? 'staging' : 'production';
    await store.append(`command-cmd-${n}`, 0, commandEvents(n, environment), { correlationId: `c${n}`, environment });
  }
}

async function allEvents(store: SqliteEventStore): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of store.read(1)) events.push(event);
  return events;
}

function foldUpTo(events: readonly StoredEvent[], position: number): DashboardState {
  let state = initialDashboardState();
  for (const event of events) if (event.position <= position) state = evolveDashboard(state, event);
  return state;
}

forEachEngine((engine) => {
  let dir: string;
  let store: SqliteEventStore;
  let checkpoints: CheckpointStore;
  let tsdb: TimeSeriesStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-checkpoints-'));
    store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
    checkpoints =
      engine.name === 'sqlite'
        ? await SqliteCheckpointStore.open({ file: engine.file('projections.db') })
        : await PgCheckpointStore.open({ pool: engine.pool(), settings: engine.settings() });
    tsdb = await SqliteTimeSeriesStore.open({ file: join(dir, 'metrics.db') });
  });

  afterEach(async () => {
    await store.close();
    await checkpoints.close();
    await tsdb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one checkpoint at every multiple of N, each equal to the fold of the log up to it', async () => {
    await appendCommands(store, 0, 130); // 520 events
    const build = await buildCheckpoints(store, checkpoints, { every: EVERY });
    expect(build).toMatchObject({ from: 0, folded: 520, written: 5 });
    const events = await allEvents(store);
    for (const position of [100, 200, 300, 400, 500]) {
      const checkpoint = await checkpoints.atOrBefore(position + 50);
      expect(checkpoint?.position).toBe(position);
      expect(checkpoint?.hash).toBe(events[position - 1].hash);
      expect(checkpoint?.state).toEqual(foldUpTo(events, position));
    }
    expect(build.state).toEqual(foldUpTo(events, 520));
  });

  it('the state at any time equals folding the whole log up to that time', async () => {
    await appendCommands(store, 0, 60);
    await buildCheckpoints(store, checkpoints, { every: EVERY });
    await appendCommands(store, 60, 20); // beyond the last checkpoint
    const events = await allEvents(store);
    const source = new LogReplaySource(store, checkpoints, tsdb.sampleReader());
    for (const index of [0, 57, 99, 100, 101, 250, events.length - 1]) {
      const event = events[index];
      // Every event sharing this millisecond belongs to the state at it.
      const last = events.filter((other) => other.time <= event.time).at(-1)!;
      const state = await source.eventStateAt(new Date(event.time));
      expect(state).toEqual(foldUpTo(events, last.position));
    }
    expect(await source.eventStateAt(new Date(Date.parse(events[0].time) - 1))).toEqual(initialDashboardState());
  });

  it('catches up from the latest checkpoint after a restart, and from nothing after a rebuild', async () => {
    await appendCommands(store, 0, 30);
    await buildCheckpoints(store, checkpoints, { every: EVERY });
    await appendCommands(store, 30, 30);
    const resumed = await buildCheckpoints(store, checkpoints, { every: EVERY });
    expect(resumed).toMatchObject({ reset: undefined, from: 100, folded: 140, written: 1 });

    const rebuilt = await buildCheckpoints(store, checkpoints, { every: EVERY, rebuild: true });
    expect(rebuilt).toMatchObject({ reset: 'rebuild requested', from: 0, folded: 240, written: 2 });
    expect(await checkpoints.count()).toBe(2);
    expect(rebuilt.state).toEqual(foldUpTo(await allEvents(store), 240));
  });

  it('drops checkpoints of another schema version, or of another log, and refolds', async () => {
    await appendCommands(store, 0, 30);
    await buildCheckpoints(store, checkpoints, { every: EVERY });
    await engine.exec('UPDATE replay_checkpoints SET schema_version = ?', [CHECKPOINT_SCHEMA_VERSION + 1]);
    const afterUpgrade = await buildCheckpoints(store, checkpoints, { every: EVERY });
    expect(afterUpgrade).toMatchObject({ reset: 'the checkpoint schema version changed', from: 0, written: 1 });

    await engine.exec("UPDATE replay_checkpoints SET hash = 'not-this-log'");
    const otherLog = await buildCheckpoints(store, checkpoints, { every: EVERY });
    expect(otherLog.reset).toBe('the event at checkpoint 100 is not the one folded');
    expect((await checkpoints.atOrBefore(100))?.hash).toBe((await allEvents(store))[99].hash);
  });

  it('stops between events when asked, leaving what it saved valid', async () => {
    await appendCommands(store, 0, 60);
    let seen = 0;
    const partial = await buildCheckpoints(store, checkpoints, { every: EVERY, stopped: () => ++seen > 150 });
    expect(partial.folded).toBe(150);
    const resumed = await buildCheckpoints(store, checkpoints, { every: EVERY });
    expect(resumed).toMatchObject({ reset: undefined, from: 100, folded: 140 });
  });
});
