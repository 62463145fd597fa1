import type { AuditEntry, AuditFilter, StoredEvent } from '@vigil/shared';
import type pg from 'pg';
import { inPgTransaction, PG_NUMBERS } from '../common/pg-queries';
import type { PostgresDatabaseSettings } from '../database/database-settings';
import { runPostgresMigrations } from '../database/postgres-migrations';
import { CreatePostgresProjectionVersions1796688000001 } from '../projections/migrations/1796688000001-create-postgres-projection-versions';
import { CreatePostgresAudit1796515200001 } from './migrations/1796515200001-create-postgres-audit';
import { PgProjectionVersions } from '../projections/pg-projection-versions';
import {
  AUDIT_COLUMNS,
  AUDIT_FILTER_COLUMNS,
  auditLookups,
  entryToRow,
  foldAuditBatch,
  rowToEntry,
  type AuditRow,
  type Checkpoint,
} from './audit-rows';
import { AUDIT_PROJECTION_NAME, AuditStore } from './audit-store';

export interface PgAuditStoreOptions {
  pool: pg.Pool;
  /** For the migrations (run under the cluster's migration lock). */
  settings: PostgresDatabaseSettings;
  /** This node's name: its checkpoint row is `audit@<node>`. */
  node: string;
}

const SQL_TYPES = [
  'text',
  'bigint',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'int',
  'bigint',
  'text',
  'bigint',
];
const COLUMN_LIST = AUDIT_COLUMNS.split(', ');

/**
 * The whole batch in one statement (one array per column), in command_id order so
 * two nodes writing the same commands lock their rows in the same order. A row is
 * only replaced by a state folded further (last_position grows): every node folds
 * the same log into the same rows, and a node that is behind never undoes one
 * that is ahead.
 */
const UPSERT = `INSERT INTO audit_commands AS a (${AUDIT_COLUMNS})
  SELECT * FROM unnest(${SQL_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ')}) ORDER BY 1
  ON CONFLICT (command_id) DO UPDATE SET ${COLUMN_LIST.slice(1)
    .map((column) => `${column} = excluded.${column}`)
    .join(', ')}
  WHERE a.last_position < excluded.last_position`;

function dollars(sql: string, from = 1): string {
  let n = from - 1;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * The audit read model on PostgreSQL, one set of rows for the whole cluster. Every
 * node folds the log into it (idempotent, monotone upserts keyed by command and
 * guarded by last_position) and keeps its own checkpoint row, so a node's restart
 * resumes from where it was, whatever the others did meanwhile.
 */
export class PgAuditStore extends AuditStore {
  readonly versions: PgProjectionVersions;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly checkpointKey: string,
    saved: Checkpoint,
  ) {
    super(saved);
    this.versions = new PgProjectionVersions(pool);
  }

  static async open(options: PgAuditStoreOptions): Promise<PgAuditStore> {
    await runPostgresMigrations(options.settings, [CreatePostgresAudit1796515200001, CreatePostgresProjectionVersions1796688000001]);
    const key = `${AUDIT_PROJECTION_NAME}@${options.node}`;
    const { rows } = await options.pool.query<{ position: number; hash: string | null }>({
      text: 'SELECT position, hash FROM projection_checkpoints WHERE projection = $1',
      values: [key],
      types: PG_NUMBERS,
    });
    return new PgAuditStore(options.pool, key, rows[0] ?? { position: 0, hash: null });
  }

  protected applyBatch(events: readonly StoredEvent[], after: number): Promise<Checkpoint | undefined> {
    return inPgTransaction(this.pool, async (client) => {
      const stored = new Map<string, AuditEntry>();
      const lookups = auditLookups(events, after);
      if (lookups.length > 0) {
        for (const entry of await this.select(client, 'WHERE command_id = ANY($1::text[])', [lookups])) stored.set(entry.commandId, entry);
      }
      const batch = foldAuditBatch(events, after, (commandId) => stored.get(commandId));
      if (!batch.last) return undefined;
      await this.upsert(client, batch.dirty);
      await client.query(
        `INSERT INTO projection_checkpoints (projection, position, hash) VALUES ($1, $2, $3)
         ON CONFLICT (projection) DO UPDATE SET position = excluded.position, hash = excluded.hash`,
        [this.checkpointKey, batch.last.position, batch.last.hash],
      );
      return { position: batch.last.position, hash: batch.last.hash };
    });
  }

  /** Empties the shared rows and every node's audit checkpoint (each node then refolds from 1 at its next start). */
  protected async clear(): Promise<void> {
    await inPgTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM audit_commands');
      await client.query('DELETE FROM projection_checkpoints WHERE projection LIKE $1', [`${AUDIT_PROJECTION_NAME}@%`]);
    });
  }

  private async upsert(client: pg.ClientBase | pg.Pool, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const columns: unknown[][] = COLUMN_LIST.map(() => []);
    for (const entry of entries) entryToRow(entry).forEach((value, i) => columns[i].push(value));
    await client.query(UPSERT, columns);
  }

  private async select(client: pg.ClientBase | pg.Pool, tail: string, values: unknown[]): Promise<AuditEntry[]> {
    const { rows } = await client.query<AuditRow>({
      text: `SELECT ${AUDIT_COLUMNS} FROM audit_commands ${tail}`,
      values,
      rowMode: 'array',
      types: PG_NUMBERS,
    });
    return rows.map(rowToEntry);
  }

  async get(commandId: string): Promise<AuditEntry | undefined> {
    return (await this.select(this.pool, 'WHERE command_id = $1', [commandId]))[0];
  }

  insertEntries(entries: readonly AuditEntry[]): Promise<void> {
    return this.upsert(this.pool, entries);
  }

  page(filter: AuditFilter, before: number | undefined, limit: number): Promise<AuditEntry[]> {
    const params: (string | number)[] = [];
    const where: string[] = [];
    for (const [name, clause] of AUDIT_FILTER_COLUMNS) {
      const value = filter[name];
      if (value === undefined) continue;
      where.push(clause);
      params.push(value);
    }
    where.push('accepted_position < ?');
    params.push(before ?? Number.MAX_SAFE_INTEGER);
    params.push(limit);
    return this.select(this.pool, dollars(`WHERE ${where.join(' AND ')} ORDER BY accepted_position DESC LIMIT ?`), params);
  }

  all(): Promise<AuditEntry[]> {
    return this.select(this.pool, 'ORDER BY command_id COLLATE "C"', []);
  }

  /** The pool belongs to the caller. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
