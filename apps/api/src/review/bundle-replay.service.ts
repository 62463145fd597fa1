import type { BeforeApplicationShutdown } from '@nestjs/common';
import type { ReplayInfo } from '@vigil/shared';
import type { ServerResponse } from 'node:http';
import { basename } from 'node:path';
import type { IncidentBundle } from '../incident/bundle-reader';
import type { BundleReplaySource } from '../incident/bundle-replay-source';
import { ReplayService } from '../replay/replay.service';
import { writeReplay, type ReplayOutcome, type ReplayRequest } from '../replay/replay-writer';
import type { StreamAccess } from '../sse/stream-access';

/**
 * GET /api/replay, its markers and info over an incident bundle: the live server's
 * replay writer, only `source: 'bundle'`. The reviewer sees all the bundle holds.
 */
export class BundleReplayService extends ReplayService implements BeforeApplicationShutdown {
  /** A bundle is one window: no request over it is too long. */
  readonly maxWindowMs = Number.MAX_SAFE_INTEGER;
  /** Aborted when the review server stops: open replays end with a `closed` message. */
  private readonly shutdown = new AbortController();

  constructor(
    private readonly bundle: IncidentBundle,
    protected readonly source: BundleReplaySource,
  ) {
    super();
  }

  play(response: ServerResponse, request: ReplayRequest, access: StreamAccess): Promise<ReplayOutcome> {
    // Everything in the file, user events included: whoever exported it could read all of it,
    // and whoever holds the file can read it anyway (the reviewer's grants only shape the web app).
    return writeReplay(response, this.source, request, { ...access, seeUsers: true }, { source: 'bundle', signal: this.shutdown.signal });
  }

  info(): Promise<ReplayInfo> {
    const { file, header } = this.bundle;
    return Promise.resolve({
      mode: 'review',
      from: header.from,
      to: header.to,
      bundle: { file: basename(file), createdAt: header.createdAt, events: header.events, samples: header.samples },
    });
  }

  beforeApplicationShutdown(): void {
    this.shutdown.abort('review server stopping');
  }
}
