import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One dashboard-state checkpoint in projections.db: the state folded from the log
 * up to `position`. The schema is owned by the migration (synchronize is off); the
 * hot paths use prepared statements.
 */
@Entity({ name: 'replay_checkpoints' })
export class ReplayCheckpointRecord {
  @PrimaryColumn({ type: 'integer' })
  position!: number;

  /** Time of the event at `position`. */
  @Column({ type: 'text' })
  time!: string;

  /** Hash of the event at `position`: tells a replaced or rewound log from ours. */
  @Column({ type: 'text' })
  hash!: string;

  /** CHECKPOINT_SCHEMA_VERSION the state was written with. */
  @Column({ name: 'schema_version', type: 'integer' })
  schemaVersion!: number;

  /** The DashboardState as deflated JSON. */
  @Column({ type: 'blob' })
  state!: Buffer;
}
