import type { AuditFilter } from '@vigil/shared';

/** The filter part of a parsed GET /api/audit or /export query (its schemas are in @vigil/shared), given keys only. */
export function toAuditFilter(query: AuditFilter): AuditFilter {
  const filter: AuditFilter = {};
  for (const key of ['actor', 'type', 'target', 'environment', 'outcome', 'from', 'to'] as const) {
    if (query[key] !== undefined) (filter as Record<string, string>)[key] = query[key];
  }
  return filter;
}
