import { REPLAY_MAX_MARKERS, type DashboardState, type MetricSample, type ReplayMarker, type StoredEvent } from '@vigil/shared';

export type ReplayItem = { kind: 'event'; event: StoredEvent } | { kind: 'metrics'; sample: MetricSample };

/**
 * Where a replay reads from: the live event log plus the time-series store
 * (LogReplaySource), or an exported incident bundle (BundleReplaySource, `vigil review`).
 * Everything here is unfiltered; the replay writer applies the viewer's role and the
 * request's filters, the same way the live hub does.
 */
export interface ReplaySource {
  /** The dashboard state after every event with time <= `at`, metrics = latest sample per source at or before `at`. */
  snapshotAt(at: Date): Promise<{ position: number; state: DashboardState }>;
  /** Events with from < time <= to in position order, merged by time with the window's metric samples. */
  items(from: Date, to: Date): AsyncIterable<ReplayItem>;
  /**
   * Alert, command and deploy markers of the window that `keep` accepts, in time order:
   * the first REPLAY_MAX_MARKERS, `truncated` when there are more.
   */
  markers(from: Date, to: Date, keep: (marker: ReplayMarker) => boolean): Promise<MarkerList>;
}

export interface MarkerList {
  markers: ReplayMarker[];
  truncated: boolean;
}

/** Adds `marker` if kept; false once the list is full (it then says `truncated`). */
export function addMarker(list: MarkerList, marker: ReplayMarker | undefined, keep: (marker: ReplayMarker) => boolean): boolean {
  if (!marker || !keep(marker)) return true;
  if (list.markers.length >= REPLAY_MAX_MARKERS) {
    list.truncated = true;
    return false;
  }
  list.markers.push(marker);
  return true;
}

/**
 * An in-memory sequence as the AsyncIterable a ReplaySource hands out (an incident
 * bundle, a test's list): one resolved promise per item, and `return()` (a consumer
 * that stops early) reaches the sequence's own iterator.
 */
export function inMemoryItems<T>(items: Iterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: () => {
      const iterator = items[Symbol.iterator]();
      return {
        next: () => Promise.resolve(iterator.next()),
        return: (value?: unknown) => {
          iterator.return?.();
          return Promise.resolve({ done: true as const, value });
        },
      };
    },
  };
}
