import { environmentMatches, type ReplayInfo } from '@vigil/shared';
import type { ServerResponse } from 'node:http';
import type { StreamAccess } from '../sse/stream-access';
import type { MarkerList, ReplayItem, ReplaySource } from './replay-source';
import type { ReplayOutcome, ReplayRequest } from './replay-writer';

/**
 * What ReplayController serves GET /api/replay, its markers and info from: the
 * live server's log (LogReplayService) or an incident bundle (the review server's
 * BundleReplayService). Both write through the same replay writer.
 */
export abstract class ReplayService {
  /** The longest window one request may ask for. */
  abstract readonly maxWindowMs: number;
  protected abstract readonly source: ReplaySource;

  /** Writes the replay to `response` and resolves when it has ended. */
  abstract play(response: ServerResponse, request: ReplayRequest, access: StreamAccess): Promise<ReplayOutcome>;

  /** The replayable range, and whether this is a live or a review server. */
  abstract info(): Promise<ReplayInfo>;

  /** Events and samples with from < time <= to, merged by time, unfiltered (the alert rule preview reads them). */
  windowItems(from: Date, to: Date): AsyncIterable<ReplayItem> {
    return this.source.items(from, to);
  }

  /** The window's markers the viewer may see, of one environment if given. */
  markers(from: Date, to: Date, environment: string | undefined, access: StreamAccess): Promise<MarkerList> {
    return this.source.markers(
      from,
      to,
      (marker) => environmentMatches(marker.environment, environment) && access.visible(marker.environment),
    );
  }
}
