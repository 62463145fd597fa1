import type { AuditOutcome } from '@vigil/shared';

/**
 * The audit page's filters as the form holds them (times as `<input type=datetime-local>`
 * values, in local time), and the GET /api/audit and /api/audit/export queries built from them.
 */
export interface AuditFilters {
  actor: string;
  type: string;
  target: string;
  environment: string;
  outcome: AuditOutcome | '';
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilters = { actor: '', type: '', target: '', environment: '', outcome: '', from: '', to: '' };

export const AUDIT_PAGE_SIZES = [25, 50, 100] as const;
export type AuditPageSize = (typeof AUDIT_PAGE_SIZES)[number];

export type AuditExportFormat = 'ndjson' | 'csv';

const TEXT_KEYS = ['actor', 'type', 'target', 'environment'] as const;

/** A datetime-local value ("2026-11-27T03:15") as UTC ISO, or undefined if it is no time. */
export function localToIso(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const time = new Date(value).getTime();
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}

/** What is wrong with the filters, in words, or null (the API would answer 400 for these). */
export function auditFiltersProblem(filters: AuditFilters): string | null {
  const from = localToIso(filters.from);
  const to = localToIso(filters.to);
  if (filters.from.trim() !== '' && from === undefined) return '"From" is not a date and time.';
  if (filters.to.trim() !== '' && to === undefined) return '"To" is not a date and time.';
  if (from !== undefined && to !== undefined && from > to) return '"To" must not be before "From".';
  return null;
}

/** The filter part of the query: only what is set, text trimmed, times in UTC. */
export function auditFilterParams(filters: AuditFilters): Record<string, string> {
  const params: Record<string, string> = {};
  for (const key of TEXT_KEYS) {
    const value = filters[key].trim();
    if (value !== '') params[key] = value;
  }
  if (filters.outcome !== '') params['outcome'] = filters.outcome;
  const from = localToIso(filters.from);
  const to = localToIso(filters.to);
  if (from !== undefined) params['from'] = from;
  if (to !== undefined) params['to'] = to;
  return params;
}

/** GET /api/audit's query for one page. */
export function auditListParams(filters: AuditFilters, limit: number, cursor: string | null): Record<string, string> {
  const params = { ...auditFilterParams(filters), limit: String(limit) };
  return cursor === null ? params : { ...params, cursor };
}

/** The export link: every row the filters match, in `format`. */
export function auditExportHref(filters: AuditFilters, format: AuditExportFormat): string {
  return `/api/audit/export?${new URLSearchParams({ ...auditFilterParams(filters), format }).toString()}`;
}
