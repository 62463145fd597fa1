import { evolveDashboard, type DashboardState, type ReplayMarker } from '@vigil/shared';
import type { ReplayItem, ReplaySource } from '../replay/replay-source';
import type { IncidentBundle } from './bundle-reader';

function itemMs(item: ReplayItem): number {
  return Date.parse(item.kind === 'event' ? item.event.time : item.sample.time);
}

/**
 * Replay from an incident bundle (`vigil review`): the snapshot at the bundle's
 * `from`, and its items. A later start folds the bundle's items up to it onto the
 * snapshot, so seeking inside the window works as it does against the log.
 */
export class BundleReplaySource implements ReplaySource {
  constructor(private readonly bundle: IncidentBundle) {}

  async snapshotAt(at: Date): Promise<{ position: number; state: DashboardState }> {
    let state = this.bundle.snapshot.state;
    const until = at.getTime();
    for (const item of this.bundle.items) {
      if (itemMs(item) > until) break;
      state = evolveDashboard(state, item.kind === 'event' ? item.event : { type: 'metrics', ...item.sample });
    }
    return { position: state.position, state };
  }

  async *items(from: Date, to: Date): AsyncIterable<ReplayItem> {
    const after = from.getTime();
    const until = to.getTime();
    for (const item of this.bundle.items) {
      const ms = itemMs(item);
      if (ms <= after) continue;
      if (ms > until) return;
      yield item;
    }
  }

  async markers(_from: Date, _to: Date): Promise<ReplayMarker[]> {
    return [];
  }
}
