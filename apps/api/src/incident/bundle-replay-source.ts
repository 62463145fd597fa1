import { DashboardFold, metricSourceKey, type CommandAcceptedData, type DashboardState, type ReplayMarker } from '@vigil/shared';
import { MARKER_TYPES, markerOf } from '../replay/replay-markers';
import { addMarker, inMemoryItems, type MarkerList, type ReplayItem, type ReplaySource } from '../replay/replay-source';
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
  /** What each command was (type, target, environment), for labelling its markers. */
  private readonly accepted = new Map<string, Pick<CommandAcceptedData, 'type' | 'target' | 'environment'>>();
  private readonly markerTypes: ReadonlySet<string> = new Set(MARKER_TYPES);

  constructor(private readonly bundle: IncidentBundle) {
    // Commands accepted before the window are in the snapshot; the rest in the bundle's events.
    for (const command of bundle.snapshot.state.commands) this.accepted.set(command.commandId, command);
    for (const item of bundle.items) {
      if (item.kind !== 'event') continue;
      if (item.event.type === 'command.accepted' || item.event.type === 'command.approval-requested') {
        this.accepted.set(item.event.data.commandId, item.event.data);
      }
    }
  }

  snapshotAt(at: Date): Promise<{ position: number; state: DashboardState }> {
    // Events and samples touch disjoint parts of the state (samples only `metrics`, and
    // not the position), so folding them apart gives what evolveDashboard gives in order.
    const fold = new DashboardFold(this.bundle.snapshot.state);
    let metrics: DashboardState['metrics'] | undefined;
    const until = at.getTime();
    for (const item of this.bundle.items) {
      if (itemMs(item) > until) break;
      if (item.kind === 'event') fold.add(item.event);
      else (metrics ??= { ...this.bundle.snapshot.state.metrics })[metricSourceKey(item.sample)] = item.sample;
    }
    const events = fold.state();
    const state = metrics ? { ...events, metrics } : events;
    return Promise.resolve({ position: state.position, state });
  }

  items(from: Date, to: Date): AsyncIterable<ReplayItem> {
    return inMemoryItems(this.inWindow(from, to));
  }

  private *inWindow(from: Date, to: Date): Generator<ReplayItem> {
    const after = from.getTime();
    const until = to.getTime();
    for (const item of this.bundle.items) {
      const ms = itemMs(item);
      if (ms <= after) continue;
      if (ms > until) return;
      yield item;
    }
  }

  async markers(from: Date, to: Date, keep: (marker: ReplayMarker) => boolean): Promise<MarkerList> {
    const list: MarkerList = { markers: [], truncated: false };
    for await (const item of this.items(from, to)) {
      if (item.kind !== 'event' || !this.markerTypes.has(item.event.type)) continue;
      const marker = markerOf(item.event, (commandId) => this.accepted.get(commandId) as CommandAcceptedData | undefined);
      if (!addMarker(list, marker, keep)) break;
    }
    return list;
  }
}
