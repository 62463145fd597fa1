import { environmentMatches, markersQuerySchema, replayQuerySchema, type ReplayMarkersResponse } from '@vigil/shared';
import type { BundleReplaySource } from '../incident/bundle-replay-source';
import { toReplayRequest } from '../replay/replay-query';
import { writeReplay } from '../replay/replay-writer';
import { accessFor } from '../streaming/stream-access';
import { sendError, sendJson } from './json-response';
import { parseQuery } from './parse-query';
import type { RouteHandler } from './review-server';
import { reviewerSession } from './reviewer-session';

/** A bundle is one window: no request over it is too long. */
const NO_WINDOW_LIMIT = Number.MAX_SAFE_INTEGER;

/**
 * GET /api/replay and GET /api/replay/markers over a bundle, with the live
 * server's query schemas and replay writer: the same messages and pacing, only
 * `source: 'bundle'`. The reviewer sees all the bundle holds.
 */
export function bundleReplayRoutes(source: BundleReplaySource, signal: AbortSignal): Record<string, RouteHandler> {
  // Everything in the file, user events included: whoever exported it could read all of it,
  // and whoever holds the file can read it anyway (the reviewer's grants only shape the web app).
  const access = { ...accessFor(reviewerSession().user, 'review'), seeUsers: true };
  return {
    '/api/replay': async (_request, response, query) => {
      const parsed = parseQuery(replayQuerySchema(NO_WINDOW_LIMIT), query);
      if ('details' in parsed) {
        sendError(response, 400, 'invalid query', parsed.details);
        return;
      }
      await writeReplay(response, source, toReplayRequest(parsed.data), access, { source: 'bundle', signal });
    },
    '/api/replay/markers': async (_request, response, query) => {
      const parsed = parseQuery(markersQuerySchema(NO_WINDOW_LIMIT), query);
      if ('details' in parsed) {
        sendError(response, 400, 'invalid query', parsed.details);
        return;
      }
      const from = new Date(parsed.data.from);
      const to = new Date(parsed.data.to);
      const { markers, truncated } = await source.markers(from, to, (marker) =>
        environmentMatches(marker.environment, parsed.data.environment),
      );
      const body: ReplayMarkersResponse = { from: from.toISOString(), to: to.toISOString(), markers, truncated };
      sendJson(response, 200, body);
    },
  };
}
