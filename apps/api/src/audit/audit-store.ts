import { canonicalJson, type StoredEvent } from '@vigil/shared';
import { openSqliteDataSource, rawConnection } from '../common/sqlite-data-source';
import type BetterSqlite3 from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import type { AuditEntry, AuditFilter, AuditOutcome } from '@vigil/shared';
import { AUDIT_OPENING_TYPES, auditCommandIdOf, evolveAudit } from './audit-fold';
import { AuditCommandRecord, ProjectionCheckpoint } from './audit-record.entity';
import { CreateAudit1796515200000 } from './migrations/1796515200000-create-audit';
import { CreateProjectionVersions1796688000000 } from '../projections/migrations/1796688000000-create-projection-versions';
import { ProjectionVersions, type PersistedProjection } from '../projections/projection-versions';

export const AUDIT_PROJECTION_NAME = 'audit';
/** Bump when evolveAudit or the row shape changes meaning: start-up then refolds the audit rows. */
export const AUDIT_SCHEMA_VERSION = 2;

/** Column order of every SELECT and of the upsert. */
const COLUMNS =
  'command_id, accepted_position, accepted_at, actor, actor_id, ip, type, target, environment, params, outcome, reason, exit_code, duration_ms, finished_at, last_position';

type RawRow = [
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

function rowToEntry(row: RawRow): AuditEntry {
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

function entryToRow(entry: AuditEntry): RawRow {
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

const FILTER_COLUMNS = [
  ['actor', 'actor = ?'],
  ['type', 'type = ?'],
  ['target', 'target = ?'],
  ['environment', 'environment = ?'],
  ['outcome', 'outcome = ?'],
  ['from', 'accepted_at >= ?'],
  ['to', 'accepted_at < ?'],
] as const;

export interface AuditStoreOptions {
  /** Path of projections.db. */
  file: string;
}

export interface Checkpoint {
  position: number;
  hash: string | null;
}

/**
 * The audit read model in its own SQLite file (WAL, synchronous=NORMAL: it can
 * always be rebuilt from the log, so it does not pay for an fsync per commit).
 * Rows and the checkpoint change in one transaction, so the file is always a
 * consistent fold of the log up to `checkpoint.position`.
 */
export class AuditStore implements PersistedProjection {
  readonly name = AUDIT_PROJECTION_NAME;
  readonly schemaVersion = AUDIT_SCHEMA_VERSION;
  /** The projection_versions table of the same file. */
  readonly versions: ProjectionVersions;
  private readonly db: BetterSqlite3.Database;
  private readonly selectOne: BetterSqlite3.Statement;
  private readonly upsert: BetterSqlite3.Statement;
  private readonly saveCheckpoint: BetterSqlite3.Statement;
  private readonly pageStatements = new Map<string, BetterSqlite3.Statement>();
  private readonly applyTransaction: (events: readonly StoredEvent[]) => Checkpoint | undefined;
  private readonly resetTransaction: () => void;
  private current: Checkpoint;

  private constructor(private readonly dataSource: DataSource) {
    this.db = rawConnection(dataSource);
    this.versions = new ProjectionVersions(this.db);
    this.selectOne = this.db.prepare(`SELECT ${COLUMNS} FROM audit_commands WHERE command_id = ?`).raw(true);
    this.upsert = this.db.prepare(
      `INSERT INTO audit_commands (${COLUMNS}) VALUES (${COLUMNS.split(',')
        .map(() => '?')
        .join(', ')})
       ON CONFLICT (command_id) DO UPDATE SET ${COLUMNS.split(', ')
         .slice(1)
         .map((column) => `${column} = excluded.${column}`)
         .join(', ')}`,
    );
    this.saveCheckpoint = this.db.prepare(
      `INSERT INTO projection_checkpoints (projection, position, hash) VALUES ('${AUDIT_PROJECTION_NAME}', ?, ?)
       ON CONFLICT (projection) DO UPDATE SET position = excluded.position, hash = excluded.hash`,
    );
    const saved = this.db.prepare('SELECT position, hash FROM projection_checkpoints WHERE projection = ?').get(AUDIT_PROJECTION_NAME) as
      Checkpoint | undefined;
    this.current = saved ?? { position: 0, hash: null };
    this.applyTransaction = this.db.transaction((events: readonly StoredEvent[]) => this.applyInTransaction(events));
    this.resetTransaction = this.db.transaction(() => {
      this.db.prepare('DELETE FROM audit_commands').run();
      this.db.prepare('DELETE FROM projection_checkpoints WHERE projection = ?').run(AUDIT_PROJECTION_NAME);
    });
  }

  static async open(options: AuditStoreOptions): Promise<AuditStore> {
    const dataSource = await openSqliteDataSource({
      file: options.file,
      synchronous: 'NORMAL',
      entities: [AuditCommandRecord, ProjectionCheckpoint],
      migrations: [CreateAudit1796515200000, CreateProjectionVersions1796688000000],
    });
    return new AuditStore(dataSource);
  }

  /** The TypeORM data source (admin tools, tests). */
  get typeorm(): DataSource {
    return this.dataSource;
  }

  /** The raw better-sqlite3 connection (tests and the benchmark's bulk loader). */
  get connection(): BetterSqlite3.Database {
    return this.db;
  }

  /** Last folded log position and its event's hash. */
  get checkpoint(): Checkpoint {
    return this.current;
  }

  get position(): number {
    return this.current.position;
  }

  /** Empties the read model (for a rebuild from position 1). */
  reset(): void {
    this.resetTransaction();
    this.current = { position: 0, hash: null };
  }

  /**
   * Folds `events` (in position order) in one transaction with the checkpoint.
   * Events at or below the checkpoint are skipped, so overlapping batches are safe.
   * Returns the number of events folded.
   */
  apply(events: readonly StoredEvent[]): number {
    if (events.length === 0) return 0;
    const before = this.current.position;
    const after = this.applyTransaction(events);
    if (!after) return 0;
    this.current = after;
    return events.filter((event) => event.position > before && event.position <= after.position).length;
  }

  private applyInTransaction(events: readonly StoredEvent[]): Checkpoint | undefined {
    const rows = new Map<string, AuditEntry | undefined>();
    /** Entries to write: the latest state of each changed command. */
    const dirty = new Map<string, AuditEntry>();
    let last: StoredEvent | undefined;
    let position = this.current.position;
    for (const event of events) {
      if (event.position <= position) continue;
      position = event.position;
      last = event;
      const commandId = auditCommandIdOf(event);
      if (commandId === undefined) continue;
      let entry: AuditEntry | undefined;
      if (rows.has(commandId)) entry = rows.get(commandId);
      else if (!AUDIT_OPENING_TYPES.has(event.type)) entry = this.get(commandId);
      const next = evolveAudit(entry, event);
      rows.set(commandId, next);
      if (next !== entry && next !== undefined) dirty.set(commandId, next);
    }
    if (!last) return undefined;
    for (const entry of dirty.values()) this.upsert.run(...entryToRow(entry));
    this.saveCheckpoint.run(last.position, last.hash);
    return { position: last.position, hash: last.hash };
  }

  get(commandId: string): AuditEntry | undefined {
    const row = this.selectOne.get(commandId) as RawRow | undefined;
    return row && rowToEntry(row);
  }

  /** Writes entries as they are (the benchmark's bulk loader; tests). Not used by the fold. */
  insertEntries(entries: readonly AuditEntry[]): void {
    this.db.transaction(() => {
      for (const entry of entries) this.upsert.run(...entryToRow(entry));
    })();
  }

  /**
   * One page, newest first: entries matching `filter` with accepted_position
   * below `before` (keyset paging, so page N costs the same as page 1).
   */
  page(filter: AuditFilter, before: number | undefined, limit: number): AuditEntry[] {
    const params: (string | number)[] = [];
    const where: string[] = [];
    let key = '';
    for (const [name, clause] of FILTER_COLUMNS) {
      const value = filter[name];
      if (value === undefined) continue;
      where.push(clause);
      params.push(value);
      key += `${name},`;
    }
    where.push('accepted_position < ?');
    params.push(before ?? Number.MAX_SAFE_INTEGER);
    let statement = this.pageStatements.get(key);
    if (!statement) {
      statement = this.db
        .prepare(`SELECT ${COLUMNS} FROM audit_commands WHERE ${where.join(' AND ')} ORDER BY accepted_position DESC LIMIT ?`)
        .raw(true);
      this.pageStatements.set(key, statement);
    }
    return (statement.all(...params, limit) as RawRow[]).map(rowToEntry);
  }

  /** Every matching entry, newest first, `pageSize` rows per query. Each page is read when asked for. */
  *pages(filter: AuditFilter, pageSize = 1000): Generator<AuditEntry[]> {
    let before: number | undefined;
    for (;;) {
      const page = this.page(filter, before, pageSize);
      if (page.length > 0) yield page;
      if (page.length < pageSize) return;
      before = page[page.length - 1].acceptedPosition;
    }
  }

  /** Every row, in command_id order (tests compare rebuilds with it). */
  all(): AuditEntry[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM audit_commands ORDER BY command_id`).raw(true).all() as RawRow[]).map(rowToEntry);
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
