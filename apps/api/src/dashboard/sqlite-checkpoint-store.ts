import type BetterSqlite3 from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { openSqliteDataSource, rawConnection } from '../common/sqlite-data-source';
import { ReplayCheckpointRecord } from './checkpoint-record.entity';
import {
  CHECKPOINT_SCHEMA_VERSION,
  CheckpointStore,
  decodeState,
  encodeState,
  type CheckpointHead,
  type DashboardCheckpoint,
} from './checkpoint-store';
import { CreateReplayCheckpoints1796601600000 } from './migrations/1796601600000-create-replay-checkpoints';

type HeadRow = [number, string, string];

/** Dashboard-state checkpoints in projections.db (next to the audit read model). */
export class SqliteCheckpointStore extends CheckpointStore {
  private readonly db: BetterSqlite3.Database;
  private readonly insert: BetterSqlite3.Statement;
  private readonly selectLatest: BetterSqlite3.Statement;
  private readonly selectAtOrBefore: BetterSqlite3.Statement;
  private readonly countOtherVersions: BetterSqlite3.Statement;
  private readonly insertMany: (checkpoints: readonly DashboardCheckpoint[]) => void;

  private constructor(private readonly dataSource: DataSource) {
    super();
    this.db = rawConnection(dataSource);
    this.insert = this.db.prepare(
      'INSERT OR REPLACE INTO replay_checkpoints (position, time, hash, schema_version, state) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectLatest = this.db.prepare('SELECT position, time, hash FROM replay_checkpoints ORDER BY position DESC LIMIT 1').raw(true);
    this.selectAtOrBefore = this.db
      .prepare(
        'SELECT position, time, hash, state FROM replay_checkpoints WHERE position <= ? AND schema_version = ? ORDER BY position DESC LIMIT 1',
      )
      .raw(true);
    this.countOtherVersions = this.db.prepare('SELECT COUNT(*) FROM replay_checkpoints WHERE schema_version != ?').pluck();
    this.insertMany = this.db.transaction((checkpoints: readonly DashboardCheckpoint[]) => {
      for (const c of checkpoints) this.insert.run(c.position, c.time, c.hash, CHECKPOINT_SCHEMA_VERSION, encodeState(c.state));
    });
  }

  static async open(options: { file: string }): Promise<SqliteCheckpointStore> {
    const dataSource = await openSqliteDataSource({
      file: options.file,
      synchronous: 'NORMAL',
      entities: [ReplayCheckpointRecord],
      migrations: [CreateReplayCheckpoints1796601600000],
    });
    return new SqliteCheckpointStore(dataSource);
  }

  /** The raw connection (tests, benchmarks). */
  get connection(): BetterSqlite3.Database {
    return this.db;
  }

  latest(): Promise<CheckpointHead | undefined> {
    const row = this.selectLatest.get() as HeadRow | undefined;
    return Promise.resolve(row && { position: row[0], time: row[1], hash: row[2] });
  }

  atOrBefore(position: number): Promise<DashboardCheckpoint | undefined> {
    const row = this.selectAtOrBefore.get(position, CHECKPOINT_SCHEMA_VERSION) as [...HeadRow, Buffer] | undefined;
    return Promise.resolve(row && { position: row[0], time: row[1], hash: row[2], state: decodeState(row[3]) });
  }

  hasOtherVersions(): Promise<boolean> {
    return Promise.resolve((this.countOtherVersions.get(CHECKPOINT_SCHEMA_VERSION) as number) > 0);
  }

  save(checkpoints: readonly DashboardCheckpoint[]): Promise<void> {
    if (checkpoints.length > 0) this.insertMany(checkpoints);
    return Promise.resolve();
  }

  count(): Promise<number> {
    return Promise.resolve(this.db.prepare('SELECT COUNT(*) FROM replay_checkpoints').pluck().get() as number);
  }

  positions(): Promise<number[]> {
    return Promise.resolve(this.db.prepare('SELECT position FROM replay_checkpoints ORDER BY position').pluck().all() as number[]);
  }

  reset(): Promise<void> {
    this.db.prepare('DELETE FROM replay_checkpoints').run();
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
