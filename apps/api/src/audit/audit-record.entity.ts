import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row of the audit read model (projections.db). The schema is owned by the
 * migration; these entities describe it for TypeORM (synchronize is off). The hot
 * paths (folding, listing, exporting) use prepared statements, not repositories.
 */
@Entity({ name: 'audit_commands' })
@Index('audit_commands_position', ['acceptedPosition'], { unique: true })
@Index('audit_commands_actor', ['actor', 'acceptedPosition'])
@Index('audit_commands_type', ['type', 'acceptedPosition'])
@Index('audit_commands_target', ['target', 'acceptedPosition'])
@Index('audit_commands_environment', ['environment', 'acceptedPosition'])
@Index('audit_commands_outcome', ['outcome', 'acceptedPosition'])
@Index('audit_commands_accepted_at', ['acceptedAt'])
export class AuditCommandRecord {
  @PrimaryColumn({ name: 'command_id', type: 'text' })
  commandId!: string;

  @Column({ name: 'accepted_position', type: 'integer' })
  acceptedPosition!: number;

  @Column({ name: 'accepted_at', type: 'text' })
  acceptedAt!: string;

  @Column({ type: 'text', nullable: true })
  actor!: string | null;

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId!: string | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  target!: string;

  @Column({ type: 'text' })
  environment!: string;

  /** Canonical JSON text. */
  @Column({ type: 'text' })
  params!: string;

  @Column({ type: 'text' })
  outcome!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'exit_code', type: 'integer', nullable: true })
  exitCode!: number | null;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs!: number | null;

  @Column({ name: 'finished_at', type: 'text', nullable: true })
  finishedAt!: string | null;

  @Column({ name: 'last_position', type: 'integer' })
  lastPosition!: number;
}

/** How far each projection in projections.db has folded the log (written with its rows). */
@Entity({ name: 'projection_checkpoints' })
export class ProjectionCheckpoint {
  @PrimaryColumn({ type: 'text' })
  projection!: string;

  @Column({ type: 'integer' })
  position!: number;

  /** Hash of the event at `position`: tells a replaced or rewound log from ours. */
  @Column({ type: 'text', nullable: true })
  hash!: string | null;
}
