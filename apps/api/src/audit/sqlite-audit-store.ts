import type { AuditEntry, AuditFilter, StoredEvent } from '@vigil/shared';
import type BetterSqlite3 from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { openSqliteDataSource, rawConnection } from '../common/sqlite-data-source';
import { CreateProjectionVersions1796688000000 } from '../projections/migrations/1796688000000-create-projection-versions';
import { SqliteProjectionVersions } from '../projections/sqlite-projection-versions';
import { AuditCommandRecord, ProjectionCheckpoint } from './audit-record.entity';
import { AUDIT_COLUMNS, AUDIT_FILTER_COLUMNS, entryToRow, foldAuditBatch, rowToEntry, type AuditRow, type Checkpoint } from './audit-rows';
import { AUDIT_PROJECTION_NAME, AuditStore } from './audit-store';
import { CreateAudit1796515200000 } from './migrations/1796515200000-create-audit';

export interface SqliteAuditStoreOptions {
  /** Path of projections.db. */
  file: string;
}

/**
 * The audit read model in projections.db (WAL, synchronous=NORMAL: it can always be
 * rebuilt from the log, so it does not pay for an fsync per commit).
 */
export class SqliteAuditStore extends AuditStore {
  readonly versions: SqliteProjectionVersions;
  private readonly db: BetterSqlite3.Database;
  private readonly selectOne: BetterSqlite3.Statement;
  private readonly upsert: BetterSqlite3.Statement;
  private readonly saveCheckpoint: BetterSqlite3.Statement;
  private readonly pageStatements = new Map<string, BetterSqlite3.Statement>();
  private readonly applyTransaction: (events: readonly StoredEvent[], after: number) => Checkpoint | undefined;
  private readonly resetTransaction: () => void;

  private constructor(private readonly dataSource: DataSource) {
    const db = rawConnection(dataSource);
    const saved = db.prepare('SELECT position, hash FROM projection_checkpoints WHERE projection = ?').get(AUDIT_PROJECTION_NAME) as
      Checkpoint | undefined;
    super(saved ?? { position: 0, hash: null });
    this.db = db;
    this.versions = new SqliteProjectionVersions(db);
    this.selectOne = db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_commands WHERE command_id = ?`).raw(true);
    this.upsert = db.prepare(
      `INSERT INTO audit_commands (${AUDIT_COLUMNS}) VALUES (${AUDIT_COLUMNS.split(',')
        .map(() => '?')
        .join(', ')})
       ON CONFLICT (command_id) DO UPDATE SET ${AUDIT_COLUMNS.split(', ')
         .slice(1)
         .map((column) => `${column} = excluded.${column}`)
         .join(', ')}`,
    );
    this.saveCheckpoint = db.prepare(
      `INSERT INTO projection_checkpoints (projection, position, hash) VALUES ('${AUDIT_PROJECTION_NAME}', ?, ?)
       ON CONFLICT (projection) DO UPDATE SET position = excluded.position, hash = excluded.hash`,
    );
    this.applyTransaction = db.transaction((events: readonly StoredEvent[], after: number) => {
      const batch = foldAuditBatch(events, after, (commandId) => this.getNow(commandId));
      if (!batch.last) return undefined;
      for (const entry of batch.dirty) this.upsert.run(...entryToRow(entry));
      this.saveCheckpoint.run(batch.last.position, batch.last.hash);
      return { position: batch.last.position, hash: batch.last.hash };
    });
    this.resetTransaction = db.transaction(() => {
      db.prepare('DELETE FROM audit_commands').run();
      db.prepare('DELETE FROM projection_checkpoints WHERE projection = ?').run(AUDIT_PROJECTION_NAME);
    });
  }

  static async open(options: SqliteAuditStoreOptions): Promise<SqliteAuditStore> {
    const dataSource = await openSqliteDataSource({
      file: options.file,
      synchronous: 'NORMAL',
      entities: [AuditCommandRecord, ProjectionCheckpoint],
      migrations: [CreateAudit1796515200000, CreateProjectionVersions1796688000000],
    });
    return new SqliteAuditStore(dataSource);
  }

  /** The TypeORM data source (admin tools, tests). */
  get typeorm(): DataSource {
    return this.dataSource;
  }

  /** The raw better-sqlite3 connection (tests and the benchmark's bulk loader). */
  get connection(): BetterSqlite3.Database {
    return this.db;
  }

  protected applyBatch(events: readonly StoredEvent[], after: number): Promise<Checkpoint | undefined> {
    return Promise.resolve(this.applyTransaction(events, after));
  }

  protected clear(): Promise<void> {
    this.resetTransaction();
    return Promise.resolve();
  }

  private getNow(commandId: string): AuditEntry | undefined {
    const row = this.selectOne.get(commandId) as AuditRow | undefined;
    return row && rowToEntry(row);
  }

  get(commandId: string): Promise<AuditEntry | undefined> {
    return Promise.resolve(this.getNow(commandId));
  }

  insertEntries(entries: readonly AuditEntry[]): Promise<void> {
    this.db.transaction(() => {
      for (const entry of entries) this.upsert.run(...entryToRow(entry));
    })();
    return Promise.resolve();
  }

  page(filter: AuditFilter, before: number | undefined, limit: number): Promise<AuditEntry[]> {
    const params: (string | number)[] = [];
    const where: string[] = [];
    let key = '';
    for (const [name, clause] of AUDIT_FILTER_COLUMNS) {
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
        .prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_commands WHERE ${where.join(' AND ')} ORDER BY accepted_position DESC LIMIT ?`)
        .raw(true);
      this.pageStatements.set(key, statement);
    }
    return Promise.resolve((statement.all(...params, limit) as AuditRow[]).map(rowToEntry));
  }

  all(): Promise<AuditEntry[]> {
    const rows = this.db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_commands ORDER BY command_id`).raw(true).all() as AuditRow[];
    return Promise.resolve(rows.map(rowToEntry));
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
