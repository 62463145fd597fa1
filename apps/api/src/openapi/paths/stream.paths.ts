import { markersQuerySchema, replayQuerySchema, streamQuerySchema } from '@vigil/shared';
import { z } from 'zod';
import { errors, json, secured, sse, type FeaturePaths } from '../common';

/** The documented query shape; the server's own limit on the window comes from `replay.maxWindowHours`. */
const WEEK_MS = 7 * 24 * 3600 * 1000;

export const streamPaths: FeaturePaths = {
  '/api/stream': {
    get: secured(undefined, {
      tags: ['stream'],
      summary: 'Server-Sent Events: a snapshot (or the events after Last-Event-ID), then live events and samples',
      description:
        'Resume with the `Last-Event-ID` header or `lastEventId` query: every missed event, no gap, no duplicate. An id beyond the head gets a fresh snapshot with `reason`.',
      requestParams: { query: streamQuerySchema, header: z.object({ 'last-event-id': z.string().optional() }) },
      responses: { '200': sse('The stream'), ...errors(400, 404, 503) },
    }),
  },
  '/api/replay': {
    get: secured('replay', {
      tags: ['replay'],
      summary: 'Server-Sent Events of a past window: the snapshot at `from`, then its events and samples at `speed`',
      requestParams: { query: replayQuerySchema(WEEK_MS) },
      responses: { '200': sse('The replay'), ...errors(400, 404) },
    }),
  },
  '/api/replay/markers': {
    get: secured('replay', {
      tags: ['replay'],
      summary: 'Notable moments of a window (alerts, deploys, restarts)',
      requestParams: { query: markersQuerySchema(WEEK_MS) },
      responses: { '200': json('Markers'), ...errors(400) },
    }),
  },
  '/api/replay/info': {
    get: secured('replay', { tags: ['replay'], summary: 'The replayable range of the log', responses: { '200': json('Range') } }),
  },
};
