/**
 * One command as the audit trail shows it: who asked for what, where, when, and
 * how it ended. Denied attempts are entries too. Every key is always present
 * (null when unknown), so NDJSON lines, CSV rows and API items line up.
 */
export const AUDIT_OUTCOMES = [
  'pending',
  'running',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
  'denied',
  'awaiting-approval',
  'rejected',
  'expired',
] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEntry {
  commandId: string;
  /** Position of the command's first event (`command.accepted` or `command.denied`); the sort and cursor key. */
  acceptedPosition: number;
  /** Commit time of that event (ISO-8601 UTC with milliseconds). */
  acceptedAt: string;
  /** Username of the actor; null when the event had none. */
  actor: string | null;
  actorId: string | null;
  ip: string | null;
  type: string;
  target: string;
  environment: string;
  params: Record<string, unknown>;
  outcome: AuditOutcome;
  /** Why it was denied, failed, cancelled or interrupted. */
  reason: string | null;
  exitCode: number | null;
  durationMs: number | null;
  finishedAt: string | null;
  /** Position of the last event that changed this entry. */
  lastPosition: number;
}

/** GET /api/audit answers one page, newest first. */
export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** What GET /api/audit and its export filter on. Times are normalised ISO strings. */
export interface AuditFilter {
  actor?: string;
  type?: string;
  target?: string;
  environment?: string;
  outcome?: AuditOutcome;
  /** accepted_at >= from */
  from?: string;
  /** accepted_at < to */
  to?: string;
}

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 500;

/** GET /api/audit/export?format= */
export const AUDIT_EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];
