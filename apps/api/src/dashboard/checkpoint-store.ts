import type { DashboardState } from '@vigil/shared';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

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

/** JSON compresses ~10x; level 1 keeps encoding off the critical path. */
export function encodeState(state: DashboardState): Buffer {
  return deflateRawSync(Buffer.from(JSON.stringify(state)), { level: 1 });
}

export function decodeState(data: Uint8Array): DashboardState {
  return JSON.parse(inflateRawSync(data).toString('utf8')) as DashboardState;
}

/**
 * Dashboard-state checkpoints (beside the audit read model). A snapshot at any time
 * starts from the nearest checkpoint at or before it and folds at most one interval
 * of events. Everything here can be rebuilt from the log. A checkpoint is a pure
 * fold of the log up to its position, so every node of a cluster computes the same
 * row for a position: writes are idempotent. The abstract class is the Nest token:
 * SqliteCheckpointStore (projections.db) or PgCheckpointStore.
 */
export abstract class CheckpointStore {
  abstract latest(): Promise<CheckpointHead | undefined>;

  /** The checkpoint of this schema version with the greatest position <= `position`, state decoded. */
  abstract atOrBefore(position: number): Promise<DashboardCheckpoint | undefined>;

  /** Whether any checkpoint was written by another CHECKPOINT_SCHEMA_VERSION. */
  abstract hasOtherVersions(): Promise<boolean>;

  /** Writes checkpoints in one transaction (a repeated position is replaced). */
  abstract save(checkpoints: readonly DashboardCheckpoint[]): Promise<void>;

  abstract count(): Promise<number>;

  /** Every stored position, ascending (digests, tests). */
  abstract positions(): Promise<number[]>;

  /** Drops every checkpoint (a rebuild starts from position 1). */
  abstract reset(): Promise<void>;

  abstract close(): Promise<void>;
}
