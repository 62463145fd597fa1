import type { AuditEntry, AuditFilter, StoredEvent } from '@vigil/shared';
import type { PersistedProjection, ProjectionVersions } from '../projections/projection-versions';
import type { Checkpoint } from './audit-rows';

export type { Checkpoint } from './audit-rows';

export const AUDIT_PROJECTION_NAME = 'audit';
/** Bump when evolveAudit or the row shape changes meaning: start-up then refolds the audit rows. */
export const AUDIT_SCHEMA_VERSION = 2;

/**
 * The audit read model: one row per command, with its checkpoint (the last folded
 * log position and that event's hash), written in one transaction so the stored
 * rows are always a consistent fold of the log up to the checkpoint. The abstract
 * class is the Nest token: SqliteAuditStore (projections.db) or PgAuditStore
 * (PostgreSQL, shared by the nodes of a cluster).
 */
export abstract class AuditStore implements PersistedProjection {
  readonly name = AUDIT_PROJECTION_NAME;
  readonly schemaVersion = AUDIT_SCHEMA_VERSION;
  /** The projection_versions table beside the rows. */
  abstract readonly versions: ProjectionVersions;

  protected constructor(protected current: Checkpoint) {}

  /** Last folded log position and its event's hash. */
  get checkpoint(): Checkpoint {
    return this.current;
  }

  get position(): number {
    return this.current.position;
  }

  /** Empties the read model (for a rebuild from position 1). */
  async reset(): Promise<void> {
    await this.clear();
    this.current = { position: 0, hash: null };
  }

  /**
   * Folds `events` (in position order) in one transaction with the checkpoint.
   * Events at or below the checkpoint are skipped, so overlapping batches are safe.
   * Returns the number of events folded. Callers apply one batch at a time.
   */
  async apply(events: readonly StoredEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const before = this.current.position;
    const after = await this.applyBatch(events, before);
    if (!after) return 0;
    this.current = after;
    return events.filter((event) => event.position > before && event.position <= after.position).length;
  }

  /** Every matching entry, newest first, `pageSize` rows per query. Each page is read when asked for. */
  async *pages(filter: AuditFilter, pageSize = 1000): AsyncGenerator<AuditEntry[]> {
    let before: number | undefined;
    for (;;) {
      const page = await this.page(filter, before, pageSize);
      if (page.length > 0) yield page;
      if (page.length < pageSize) return;
      before = page[page.length - 1].acceptedPosition;
    }
  }

  abstract get(commandId: string): Promise<AuditEntry | undefined>;

  /** Writes entries as they are (the benchmark's bulk loader; tests). Not used by the fold. */
  abstract insertEntries(entries: readonly AuditEntry[]): Promise<void>;

  /**
   * One page, newest first: entries matching `filter` with accepted_position
   * below `before` (keyset paging, so page N costs the same as page 1).
   */
  abstract page(filter: AuditFilter, before: number | undefined, limit: number): Promise<AuditEntry[]>;

  /** Every row, in command_id order (tests compare rebuilds with it). */
  abstract all(): Promise<AuditEntry[]>;

  abstract close(): Promise<void>;

  /** Folds and writes one batch with the new checkpoint; undefined when nothing was beyond `after`. */
  protected abstract applyBatch(events: readonly StoredEvent[], after: number): Promise<Checkpoint | undefined>;

  /** Deletes the rows and the checkpoint. */
  protected abstract clear(): Promise<void>;
}
