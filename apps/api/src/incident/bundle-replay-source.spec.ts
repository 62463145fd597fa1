import { evolveDashboard, initialDashboardState, type DashboardState, type StoredEvent } from '@vigil/shared';
import { realisticStoredEventChunks } from '../../../../bench/lib/realistic-events.mjs';
import type { ReplayItem } from '../replay/replay-source';
import type { IncidentBundle } from './bundle-reader';
import { BundleReplaySource } from './bundle-replay-source';

const SOURCES = [{ source: 'host' }, { source: 'web-server', environment: 'staging' }, { source: 'web-server', environment: 'production' }];

/** The realistic log's events with a sample of one of three sources after every fifth, in time order. */
function bundleOf(events: StoredEvent[], snapshotAt: number): IncidentBundle {
  let state: DashboardState = initialDashboardState();
  for (const event of events.slice(0, snapshotAt)) state = evolveDashboard(state, event);
  state = evolveDashboard(state, { type: 'metrics', source: 'host', time: events[snapshotAt - 1].time, values: { cpu_percent: 1 } });
  const items: ReplayItem[] = [];
  events.slice(snapshotAt).forEach((event, i) => {
    items.push({ kind: 'event', event });
    if (i % 5 === 0) items.push({ kind: 'metrics', sample: { ...SOURCES[i % 3], time: event.time, values: { cpu_percent: i } } });
  });
  const from = events[snapshotAt - 1].time;
  const to = events.at(-1)!.time;
  return {
    file: 'bundle.ndjson',
    header: {
      kind: 'header',
      format: 'vigil-incident',
      version: 1,
      from,
      to,
      createdAt: to,
      events: events.length - snapshotAt,
      samples: items.length - (events.length - snapshotAt),
    },
    snapshot: { position: state.position, state },
    alertRules: [],
    alertRulesTimeline: [],
    items,
  };
}

describe('BundleReplaySource.snapshotAt', () => {
  it('equals the bundle snapshot with every item up to the time folded in order by evolveDashboard', async () => {
    const [events] = [...realisticStoredEventChunks(4_000, { chunk: 4_000 })];
    const bundle = bundleOf(events, 500);
    const source = new BundleReplaySource(bundle);
    for (const index of [0, 1, 499, 1_234, 2_000, 3_499]) {
      const at = new Date(events[500 + index].time);
      let expected = bundle.snapshot.state;
      for (const item of bundle.items) {
        if (Date.parse(item.kind === 'event' ? item.event.time : item.sample.time) > at.getTime()) break;
        expected = evolveDashboard(expected, item.kind === 'event' ? item.event : { type: 'metrics', ...item.sample });
      }
      const snapshot = await source.snapshotAt(at);
      expect(snapshot.state).toStrictEqual(expected);
      expect(JSON.stringify(snapshot.state)).toBe(JSON.stringify(expected));
      expect(snapshot.position).toBe(expected.position);
    }
    // Before the first item: the bundle's snapshot itself.
    expect((await source.snapshotAt(new Date(Date.parse(events[499].time)))).state).toBe(bundle.snapshot.state);
  });
});
