import { HISTORY_DURATION_MS, type MetricsHistoryQuery } from '@vigil/shared';

/** The [from, to] window in epoch ms of a parsed GET /api/metrics/history query (its schema is in @vigil/shared). */
export function windowOf(query: MetricsHistoryQuery, now = Date.now()): { from: number; to: number } {
  if (query.duration) return { from: now - HISTORY_DURATION_MS[query.duration], to: now };
  return { from: query.from ?? now - HISTORY_DURATION_MS['1h'], to: query.to ?? now };
}
