import type pg from 'pg';
import { PG_NUMBERS } from '../common/pg-queries';
import type { PostgresDatabaseSettings } from '../database/database-settings';
import { runPostgresMigrations } from '../database/postgres-migrations';
import { CreatePostgresReplayCheckpoints1796601600001 } from './migrations/1796601600001-create-postgres-replay-checkpoints';
import {
  CHECKPOINT_SCHEMA_VERSION,
  CheckpointStore,
  decodeState,
  encodeState,
  type CheckpointHead,
  type DashboardCheckpoint,
} from './checkpoint-store';

type HeadRow = [number, string, string];

/**
 * Dashboard-state checkpoints on PostgreSQL, shared by the nodes: each node writes
 * the checkpoints its fold reaches, and two nodes writing the same position write
 * the same row (a pure fold of the same log), so the upsert is idempotent. Rows go
 * in position order, so concurrent saves never deadlock.
 */
export class PgCheckpointStore extends CheckpointStore {
  private constructor(private readonly pool: pg.Pool) {
    super();
  }

  static async open(options: { pool: pg.Pool; settings: PostgresDatabaseSettings }): Promise<PgCheckpointStore> {
    await runPostgresMigrations(options.settings, [CreatePostgresReplayCheckpoints1796601600001]);
    return new PgCheckpointStore(options.pool);
  }

  private async query<T>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.pool.query({ text, values, rowMode: 'array', types: PG_NUMBERS })).rows as T[];
  }

  async latest(): Promise<CheckpointHead | undefined> {
    const [row] = await this.query<HeadRow | undefined>(
      'SELECT position, time, hash FROM replay_checkpoints ORDER BY position DESC LIMIT 1',
    );
    return row && { position: row[0], time: row[1], hash: row[2] };
  }

  async atOrBefore(position: number): Promise<DashboardCheckpoint | undefined> {
    const [row] = await this.query<[...HeadRow, Buffer] | undefined>(
      'SELECT position, time, hash, state FROM replay_checkpoints WHERE position <= $1 AND schema_version = $2 ORDER BY position DESC LIMIT 1',
      [Math.min(position, Number.MAX_SAFE_INTEGER), CHECKPOINT_SCHEMA_VERSION],
    );
    return row && { position: row[0], time: row[1], hash: row[2], state: decodeState(row[3]) };
  }

  async hasOtherVersions(): Promise<boolean> {
    const [row] = await this.query<[number]>('SELECT COUNT(*) FROM replay_checkpoints WHERE schema_version <> $1', [
      CHECKPOINT_SCHEMA_VERSION,
    ]);
    return row[0] > 0;
  }

  async save(checkpoints: readonly DashboardCheckpoint[]): Promise<void> {
    if (checkpoints.length === 0) return;
    const sorted = [...checkpoints].sort((a, b) => a.position - b.position);
    // A batch holds a position once (the last write wins, as INSERT OR REPLACE does on SQLite).
    const byPosition = new Map(sorted.map((c) => [c.position, c]));
    const rows = [...byPosition.values()];
    await this.pool.query(
      `INSERT INTO replay_checkpoints (position, time, hash, schema_version, state)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::bytea[]) ORDER BY 1
       ON CONFLICT (position) DO UPDATE SET time = excluded.time, hash = excluded.hash,
         schema_version = excluded.schema_version, state = excluded.state`,
      [
        rows.map((c) => c.position),
        rows.map((c) => c.time),
        rows.map((c) => c.hash),
        rows.map(() => CHECKPOINT_SCHEMA_VERSION),
        rows.map((c) => encodeState(c.state)),
      ],
    );
  }

  async count(): Promise<number> {
    return (await this.query<[number]>('SELECT COUNT(*) FROM replay_checkpoints'))[0][0];
  }

  async positions(): Promise<number[]> {
    return (await this.query<[number]>('SELECT position FROM replay_checkpoints ORDER BY position')).map((row) => row[0]);
  }

  async reset(): Promise<void> {
    await this.pool.query('DELETE FROM replay_checkpoints');
  }

  /** The pool belongs to the caller. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
