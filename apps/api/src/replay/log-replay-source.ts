import {
  commandStreamOf,
  DashboardFold,
  initialDashboardState,
  metricSourceKey,
  type CommandAcceptedData,
  type DashboardState,
  type ReplayMarker,
  type StoredEvent,
} from '@vigil/shared';
import type { EventStore } from '../event-store/event-store';
import type { SampleReader } from '../metrics/tsdb/sample-reader';
import type { CheckpointStore } from '../dashboard/checkpoint-store';
import { flatten, mergeByTime } from './merge-by-time';
import { MARKER_TYPES, markerOf } from './replay-markers';
import { addMarker, type MarkerList, type ReplayItem, type ReplaySource } from './replay-source';

/**
 * How far back a snapshot looks for each source's latest sample. A source silent
 * for longer before `at` is absent from the replayed state (the live state would
 * still show its last sample): scanning the whole store for it would make every
 * snapshot cost as much as the store is old.
 */
export const METRICS_LOOKBACK_MS = 15 * 60_000;

/** Marker events labelled per batch: memory stays flat however long the window. */
const MARKER_BATCH = 2_000;
/** The command events whose markers are labelled from the command's opening event. */
const ENDS: ReadonlySet<string> = new Set(['command.completed', 'command.failed', 'command.rejected', 'command.expired']);

export interface LogReplaySourceOptions {
  metricsLookbackMs?: number;
  /** The clock that decides which metrics tier still holds a time. */
  now?: () => number;
}

/**
 * Replay from the live server's own data: the event log (positions and times), the
 * dashboard checkpoints in projections.db, and the time-series store.
 *
 * The boundary between "in the snapshot at T" and "in a window starting at T" is
 * one number, `store.positionAt(T)`: the snapshot holds every position up to it and
 * the window starts right after it, so nothing is shown twice or missed.
 */
export class LogReplaySource implements ReplaySource {
  private readonly lookbackMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly samples: SampleReader,
    options: LogReplaySourceOptions = {},
  ) {
    this.lookbackMs = options.metricsLookbackMs ?? METRICS_LOOKBACK_MS;
    this.now = options.now ?? Date.now;
  }

  async snapshotAt(at: Date): Promise<{ position: number; state: DashboardState }> {
    const state = await this.eventStateAt(at);
    const metrics: DashboardState['metrics'] = {};
    for (const sample of await this.samples.latestAtOrBefore(at.getTime(), this.lookbackMs, this.now()))
      metrics[metricSourceKey(sample)] = sample;
    return { position: state.position, state: { ...state, metrics } };
  }

  /** The events part of the state at `at`: the nearest checkpoint, then at most one interval folded. */
  async eventStateAt(at: Date): Promise<DashboardState> {
    const target = await this.store.positionAt(at);
    const fold = new DashboardFold((await this.checkpoints.atOrBefore(target))?.state ?? initialDashboardState());
    if (fold.position < target) {
      for await (const event of this.store.read(fold.position + 1, { toPosition: target })) fold.add(event);
    }
    return fold.state();
  }

  items(from: Date, to: Date): AsyncIterable<ReplayItem> {
    return this.window(from, to);
  }

  private async *window(from: Date, to: Date): AsyncGenerator<ReplayItem> {
    const first = (await this.store.positionAt(from)) + 1;
    const last = await this.store.positionAt(to);
    const events = last >= first ? this.store.read(first, { toPosition: last }) : NO_EVENTS;
    yield* mergeByTime(events, flatten(this.samples.slices(from.getTime(), to.getTime(), this.now())));
  }

  async markers(from: Date, to: Date, keep: (marker: ReplayMarker) => boolean): Promise<MarkerList> {
    const list: MarkerList = { markers: [], truncated: false };
    const first = (await this.store.positionAt(from)) + 1;
    const last = await this.store.positionAt(to);
    if (last < first) return list;
    const accepted = new Map<string, CommandAcceptedData>();
    let batch: StoredEvent[] = [];
    /** Labels and adds one batch; false once the list is full. */
    const addBatch = async (): Promise<boolean> => {
      // Commands accepted before the window: their outcome is labelled from their own stream.
      for (const event of batch) {
        if (!ENDS.has(event.type)) continue;
        const commandId = (event.data as { commandId: string }).commandId;
        if (accepted.has(commandId)) continue;
        const opening = (await this.store.readStream(commandStreamOf(commandId))).at(0);
        if (opening?.type === 'command.accepted' || opening?.type === 'command.approval-requested') accepted.set(commandId, opening.data);
      }
      for (const event of batch) {
        if (
          !addMarker(
            list,
            markerOf(event, (commandId) => accepted.get(commandId)),
            keep,
          )
        )
          return false;
        // A command's outcome is its last marker: its label is needed no more.
        if (ENDS.has(event.type)) accepted.delete((event.data as { commandId: string }).commandId);
      }
      batch = [];
      return true;
    };
    for await (const event of this.store.read(first, { toPosition: last, types: MARKER_TYPES })) {
      if (event.type === 'command.accepted' || event.type === 'command.approval-requested') accepted.set(event.data.commandId, event.data);
      batch.push(event);
      if (batch.length >= MARKER_BATCH && !(await addBatch())) return list;
    }
    await addBatch();
    return list;
  }
}

/** The events of a window that holds none. */
const NO_EVENTS: AsyncIterable<never> = {
  [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }),
};
