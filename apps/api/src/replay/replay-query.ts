import { nameSchema, REPLAY_MAX_SPEED, type ReplaySpeed } from '@vigil/shared';
import { z } from 'zod';
import { streamQuerySchema, toStreamFilter } from '../sse/stream-query';
import type { ReplayRequest } from './replay-writer';

/** A window may end a little in the future (clock skew between browser and server). */
const FUTURE_SLACK_MS = 60_000;

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time, e.g. 2026-11-27T03:00:00.000Z' });

const speedSchema = z
  .string()
  .optional()
  .transform((raw, ctx): ReplaySpeed => {
    if (raw === undefined) return 1;
    if (raw === 'max') return 'max';
    const speed = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
    if (!(speed >= 1 && speed <= REPLAY_MAX_SPEED)) {
      ctx.addIssue({ code: 'custom', message: `must be a number from 1 to ${REPLAY_MAX_SPEED}, or max` });
      return z.NEVER;
    }
    return speed;
  });

/** from < to, at most `maxWindowMs` apart, not beyond now (plus slack). */
function checkWindow(maxWindowMs: number) {
  return (query: { from: string; to: string }, ctx: z.RefinementCtx): void => {
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    if (from >= to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (to - from > maxWindowMs)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the window may span at most ${maxWindowMs / 3_600_000} hours` });
    if (from > Date.now() + FUTURE_SLACK_MS) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be in the future' });
  };
}

/** GET /api/replay: the /api/stream filters (no resume point: a seek is a new request) plus the window and speed. */
export function replayQuerySchema(maxWindowMs: number) {
  return streamQuerySchema
    .omit({ lastEventId: true })
    .extend({ from: instant, to: instant, speed: speedSchema })
    .superRefine(checkWindow(maxWindowMs));
}

/** GET /api/replay/markers */
export function markersQuerySchema(maxWindowMs: number) {
  return z.object({ environment: nameSchema.optional(), from: instant, to: instant }).loose().superRefine(checkWindow(maxWindowMs));
}

export function toReplayRequest(query: z.infer<ReturnType<typeof replayQuerySchema>>): ReplayRequest {
  return { from: new Date(query.from), to: new Date(query.to), speed: query.speed, filter: toStreamFilter(query) };
}
