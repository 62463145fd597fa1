import type { AuditEntry, EventType, StoredEvent } from '@vigil/shared';

/**
 * The event types that can change an audit entry. Everything else (output,
 * progress, services, alerts, users) leaves the audit trail as it is.
 */
export const AUDIT_EVENT_TYPES: ReadonlySet<string> = new Set([
  'command.accepted',
  'command.denied',
  'command.started',
  'command.completed',
  'command.failed',
  'command.cancelled',
  'command.interrupted',
  'command.approval-requested',
  'command.approved',
  'command.rejected',
  'command.expired',
] satisfies readonly EventType[]);

/** Events that open an entry (so the current one need not be looked up). */
export const AUDIT_OPENING_TYPES: ReadonlySet<string> = new Set([
  'command.accepted',
  'command.denied',
  'command.approval-requested',
] satisfies readonly EventType[]);

/** The command an event belongs to, for the audit-relevant types; undefined otherwise. */
export function auditCommandIdOf(event: StoredEvent): string | undefined {
  if (!AUDIT_EVENT_TYPES.has(event.type)) return undefined;
  const id = (event.data as { commandId?: unknown }).commandId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * evolve() for one audit entry: pure, never mutates `entry`. Returns `entry`
 * itself (the same object) when the event changes nothing, so callers can skip
 * the write. An event at or below the entry's lastPosition is ignored (replays
 * are idempotent). Lifecycle events of a command without an entry return undefined.
 */
export function evolveAudit(entry: AuditEntry | undefined, event: StoredEvent): AuditEntry | undefined {
  if (entry && event.position <= entry.lastPosition) return entry;
  switch (event.type) {
    case 'command.accepted':
    case 'command.approval-requested':
    case 'command.denied': {
      const data = event.data;
      const denied = event.type === 'command.denied';
      return {
        commandId: data.commandId,
        acceptedPosition: event.position,
        acceptedAt: event.time,
        actor: event.meta.actor?.username ?? null,
        actorId: event.meta.actor?.id ?? null,
        ip: event.meta.ip ?? null,
        type: data.type,
        target: data.target,
        environment: data.environment,
        params: event.type === 'command.denied' ? {} : event.data.params,
        outcome: denied ? 'denied' : event.type === 'command.approval-requested' ? 'awaiting-approval' : 'pending',
        reason: event.type === 'command.denied' ? event.data.reason : null,
        exitCode: null,
        durationMs: null,
        finishedAt: denied ? event.time : null,
        lastPosition: event.position,
      };
    }
    case 'command.approved':
      if (!entry) return undefined;
      return { ...entry, outcome: 'pending', lastPosition: event.position };
    case 'command.rejected':
    case 'command.expired':
      if (!entry) return undefined;
      return {
        ...entry,
        outcome: event.type === 'command.rejected' ? 'rejected' : 'expired',
        reason: event.data.reason,
        finishedAt: event.time,
        lastPosition: event.position,
      };
    case 'command.started':
      if (!entry) return undefined;
      return { ...entry, outcome: 'running', lastPosition: event.position };
    case 'command.completed':
      if (!entry) return undefined;
      return {
        ...entry,
        outcome: 'completed',
        exitCode: event.data.exitCode ?? null,
        durationMs: event.data.durationMs,
        finishedAt: event.time,
        lastPosition: event.position,
      };
    case 'command.failed':
      if (!entry) return undefined;
      return {
        ...entry,
        outcome: 'failed',
        reason: event.data.reason,
        exitCode: event.data.exitCode ?? null,
        durationMs: event.data.durationMs,
        finishedAt: event.time,
        lastPosition: event.position,
      };
    case 'command.cancelled':
      if (!entry) return undefined;
      return {
        ...entry,
        outcome: 'cancelled',
        reason: event.data.reason,
        durationMs: event.data.durationMs,
        finishedAt: event.time,
        lastPosition: event.position,
      };
    case 'command.interrupted':
      if (!entry) return undefined;
      return { ...entry, outcome: 'interrupted', reason: event.data.reason, finishedAt: event.time, lastPosition: event.position };
    default:
      return entry;
  }
}
