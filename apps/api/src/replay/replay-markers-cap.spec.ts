import { REPLAY_MAX_MARKERS, type NewEvent, type ReplayMarker } from '@vigil/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { SqliteTimeSeriesStore } from '../metrics/tsdb/sqlite-time-series-store';
import type { TimeSeriesStore } from '../metrics/tsdb/time-series-store';
import type { CheckpointStore } from '../dashboard/checkpoint-store';
import { SqliteCheckpointStore } from '../dashboard/sqlite-checkpoint-store';
import { LogReplaySource } from './log-replay-source';

/** A finished command: two markers (accepted, completed) and one event that is none. */
function commandEvents(n: number, environment: string): NewEvent[] {
  const commandId = `cmd-${n}`;
  return [
    { type: 'command.accepted', data: { commandId, type: 'restart', target: 'web-server', environment, params: {}, requestHash: 'h' } },
    { type: 'command.started', data: { commandId } },
    { type: 'command.completed', data: { commandId, durationMs: 3, exitCode: 0 } },
  ];
}

describe('replay markers: at most REPLAY_MAX_MARKERS, and saying so', () => {
  const STAGING_COMMANDS = REPLAY_MAX_MARKERS / 2 + 10; // 20 markers over the cap
  const PRODUCTION_COMMANDS = 3; // after all of staging's
  let dir: string;
  let store: SqliteEventStore;
  let checkpoints: CheckpointStore;
  let tsdb: TimeSeriesStore;
  let source: LogReplaySource;
  let from: Date;
  let to: Date;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-markers-'));
    store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
    checkpoints = await SqliteCheckpointStore.open({ file: join(dir, 'projections.db') });
    tsdb = await SqliteTimeSeriesStore.open({ file: join(dir, 'metrics.db') });
    source = new LogReplaySource(store, checkpoints, tsdb.sampleReader());
    from = new Date(Date.now() - 1_000);
    for (let n = 0; n < STAGING_COMMANDS; n++)
      await store.append(`command-cmd-${n}`, 0, commandEvents(n, 'staging'), { correlationId: `c${n}`, environment: 'staging' });
    for (let n = STAGING_COMMANDS; n < STAGING_COMMANDS + PRODUCTION_COMMANDS; n++) {
      await store.append(`command-cmd-${n}`, 0, commandEvents(n, 'production'), { correlationId: `c${n}`, environment: 'production' });
    }
    to = new Date(Date.now() + 1_000);
  }, 60_000);

  afterAll(async () => {
    await store.close();
    await checkpoints.close();
    await tsdb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the first REPLAY_MAX_MARKERS of a busier window in order, labelled, and says it is truncated', async () => {
    const { markers, truncated } = await source.markers(from, to, () => true);
    expect(truncated).toBe(true);
    expect(markers).toHaveLength(REPLAY_MAX_MARKERS);
    const positions = markers.map((marker) => marker.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(markers[0]).toMatchObject({ kind: 'command', label: 'restart web-server@staging accepted', ref: 'cmd-0' });
    expect(markers[1]).toMatchObject({ kind: 'command', label: 'restart web-server@staging completed', ref: 'cmd-0' });
    expect(markers.at(-1)).toMatchObject({ ref: `cmd-${REPLAY_MAX_MARKERS / 2 - 1}` });
  });

  it('caps what the viewer keeps, not what the log holds: production after 10,000 staging markers is all there', async () => {
    const production = (marker: ReplayMarker) => marker.environment === 'production';
    const { markers, truncated } = await source.markers(from, to, production);
    expect(truncated).toBe(false);
    expect(markers.map((marker) => marker.label)).toEqual(
      Array.from({ length: PRODUCTION_COMMANDS }, () => [
        'restart web-server@production accepted',
        'restart web-server@production completed',
      ]).flat(),
    );
  });

  it('is not truncated when the window holds exactly what is listed', async () => {
    const { markers, truncated } = await source.markers(from, to, (marker) => marker.ref === 'cmd-7');
    expect({ count: markers.length, truncated }).toEqual({ count: 2, truncated: false });
  });
});
