import { canonicalJson, type AuditEntry, type AuditOutcome, type StoredEvent } from '@vigil/shared';
import { AUDIT_OPENING_TYPES, auditCommandIdOf, evolveAudit } from './audit-fold';

/** Column order of every SELECT and of the upsert (both engines). */
export const AUDIT_COLUMNS =
  'command_id, accepted_position, accepted_at, actor, actor_id, ip, type, target, environment, params, outcome, reason, exit_code, duration_ms, finished_at, last_position';

export type AuditRow = [
  string,
  number,
  string,
  string | null,
  string | null,
  string | null,
  string,
  string,
  string,
  string,
  string,
  string | null,
  number | null,
  number | null,
  string | null,
  number,
];

export function rowToEntry(row: AuditRow): AuditEntry {
  return {
    commandId: row[0],
    acceptedPosition: row[1],
    acceptedAt: row[2],
    actor: row[3],
    actorId: row[4],
    ip: row[5],
    type: row[6],
    target: row[7],
    environment: row[8],
    params: JSON.parse(row[9]) as Record<string, unknown>,
    outcome: row[10] as AuditOutcome,
    reason: row[11],
    exitCode: row[12],
    durationMs: row[13],
    finishedAt: row[14],
    lastPosition: row[15],
  };
}

export function entryToRow(entry: AuditEntry): AuditRow {
  return [
    entry.commandId,
    entry.acceptedPosition,
    entry.acceptedAt,
    entry.actor,
    entry.actorId,
    entry.ip,
    entry.type,
    entry.target,
    entry.environment,
    canonicalJson(entry.params),
    entry.outcome,
    entry.reason,
    entry.exitCode,
    entry.durationMs,
    entry.finishedAt,
    entry.lastPosition,
  ];
}

/** Filters of GET /api/audit as SQL (`?` placeholders; the PostgreSQL store numbers them). */
export const AUDIT_FILTER_COLUMNS = [
  ['actor', 'actor = ?'],
  ['type', 'type = ?'],
  ['target', 'target = ?'],
  ['environment', 'environment = ?'],
  ['outcome', 'outcome = ?'],
  ['from', 'accepted_at >= ?'],
  ['to', 'accepted_at < ?'],
] as const;

export interface Checkpoint {
  position: number;
  hash: string | null;
}

export interface AuditBatch {
  /** The latest state of each changed command, to write. */
  dirty: AuditEntry[];
  /** The last event beyond the checkpoint: the new checkpoint. */
  last?: StoredEvent;
}

/** Commands whose stored row the fold of `events` may read (their non-opening events beyond `after`). */
export function auditLookups(events: readonly StoredEvent[], after: number): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.position <= after || AUDIT_OPENING_TYPES.has(event.type)) continue;
    const commandId = auditCommandIdOf(event);
    if (commandId !== undefined) ids.add(commandId);
  }
  return [...ids];
}

/**
 * Folds `events` (in position order) beyond position `after` onto the stored rows
 * (`stored` gives a command's row as it was before this batch). Pure: the stores
 * write the result with the checkpoint in one transaction.
 */
export function foldAuditBatch(
  events: readonly StoredEvent[],
  after: number,
  stored: (commandId: string) => AuditEntry | undefined,
): AuditBatch {
  const rows = new Map<string, AuditEntry | undefined>();
  const dirty = new Map<string, AuditEntry>();
  let last: StoredEvent | undefined;
  let position = after;
  for (const event of events) {
    if (event.position <= position) continue;
    position = event.position;
    last = event;
    const commandId = auditCommandIdOf(event);
    if (commandId === undefined) continue;
    let entry: AuditEntry | undefined;
    if (rows.has(commandId)) entry = rows.get(commandId);
    else if (!AUDIT_OPENING_TYPES.has(event.type)) entry = stored(commandId);
    const next = evolveAudit(entry, event);
    rows.set(commandId, next);
    if (next !== entry && next !== undefined) dirty.set(commandId, next);
  }
  return { dirty: [...dirty.values()], last };
}
