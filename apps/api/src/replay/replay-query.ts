import type { ReplayQuery } from '@vigil/shared';
import { toStreamFilter } from '../sse/stream-query';
import type { ReplayRequest } from './replay-writer';

/** What a parsed GET /api/replay query (its schema is in @vigil/shared) asks the replay writer for. */
export function toReplayRequest(query: ReplayQuery): ReplayRequest {
  return { from: new Date(query.from), to: new Date(query.to), speed: query.speed, filter: toStreamFilter(query) };
}
