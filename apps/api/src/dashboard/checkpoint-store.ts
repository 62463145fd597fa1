import type { DashboardState } from '@vigil/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { DataSource } from 'typeorm';
import { openSqliteDataSource, rawConnection } from '../common/sqlite-data-source';
import { ReplayCheckpointRecord } from './checkpoint-record.entity';
import { CreateReplayCheckpoints1796601600000 } from './migrations/1796601600000-create-replay-checkpoints';

/**
 * Bump whenever what a checkpoint holds changes meaning (the DashboardState shape or
 * what evolveDashboard does with an event): checkpoints of another version are
 * dropped and refolded from the log at the next start.
 */
export const CHECKPOINT_SCHEMA_VERSION = 2;

/** Where a checkpoint sits in the log, without its state. */
export interface CheckpointHead {
  position: number;
  time: string;
  hash: string;
}

/** The dashboard state folded from the log up to `position` (events only: metrics are empty). */
export interface DashboardCheckpoint extends CheckpointHead {
  state: DashboardState;
}

type HeadRow = [number, string, string];

/** JSON compresses ~10x; level 1 keeps encoding off the critical path. */
function encodeState(state: DashboardState): Buffer {
  return deflateRawSync(Buffer.from(JSON.stringify(state)), { level: 1 });
}

function decodeState(data: Buffer): DashboardState {
  return JSON.parse(inflateRawSync(data).toString('utf8')) as DashboardState;
}

/**
 * Dashboard-state checkpoints in projections.db (next to the audit read model). A
 * snapshot at any time starts from the nearest checkpoint at or before it and folds
 * at most one interval of events. Everything here can be rebuilt from the log.
 */
export class CheckpointStore {
  private readonly db: BetterSqlite3.Database;
  private readonly insert: BetterSqlite3.Statement;
  private readonly selectLatest: BetterSqlite3.Statement;
  private readonly selectAtOrBefore: BetterSqlite3.Statement;
  private readonly countOtherVersions: BetterSqlite3.Statement;
  private readonly insertMany: (checkpoints: readonly DashboardCheckpoint[]) => void;

  private constructor(private readonly dataSource: DataSource) {
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

  static async open(options: { file: string }): Promise<CheckpointStore> {
    const dataSource = await openSqliteDataSource({
      file: options.file,
      synchronous: 'NORMAL',
      entities: [ReplayCheckpointRecord],
      migrations: [CreateReplayCheckpoints1796601600000],
    });
    return new CheckpointStore(dataSource);
  }

  /** The raw connection (tests, benchmarks). */
  get connection(): BetterSqlite3.Database {
    return this.db;
  }

  latest(): CheckpointHead | undefined {
    const row = this.selectLatest.get() as HeadRow | undefined;
    return row && { position: row[0], time: row[1], hash: row[2] };
  }

  /** The checkpoint of this schema version with the greatest position <= `position`, state decoded. */
  atOrBefore(position: number): DashboardCheckpoint | undefined {
    const row = this.selectAtOrBefore.get(position, CHECKPOINT_SCHEMA_VERSION) as [...HeadRow, Buffer] | undefined;
    return row && { position: row[0], time: row[1], hash: row[2], state: decodeState(row[3]) };
  }

  /** Whether any checkpoint was written by another CHECKPOINT_SCHEMA_VERSION. */
  hasOtherVersions(): boolean {
    return (this.countOtherVersions.get(CHECKPOINT_SCHEMA_VERSION) as number) > 0;
  }

  /** Writes checkpoints in one transaction (a repeated position is replaced). */
  save(checkpoints: readonly DashboardCheckpoint[]): void {
    if (checkpoints.length > 0) this.insertMany(checkpoints);
  }

  count(): number {
    return this.db.prepare('SELECT COUNT(*) FROM replay_checkpoints').pluck().get() as number;
  }

  /** Drops every checkpoint (a rebuild starts from position 1). */
  reset(): void {
    this.db.prepare('DELETE FROM replay_checkpoints').run();
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
