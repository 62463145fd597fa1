import { parseTypePatterns, type StreamFilter, type StreamQuery } from '@vigil/shared';

/** The filter a parsed /api/stream (or /api/replay) query asks for; the query's schema is in @vigil/shared. */
export function toStreamFilter(query: Pick<StreamQuery, 'environment' | 'types'>): StreamFilter {
  return {
    environment: query.environment,
    types: query.types === undefined ? undefined : parseTypePatterns(query.types).patterns,
  };
}
