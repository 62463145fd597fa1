import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATEMENTS: readonly string[] = [
  `CREATE TABLE audit_commands (
        command_id TEXT PRIMARY KEY,
        accepted_position BIGINT NOT NULL,
        accepted_at TEXT NOT NULL,
        actor TEXT,
        actor_id TEXT,
        ip TEXT,
        type TEXT NOT NULL,
        target TEXT NOT NULL,
        environment TEXT NOT NULL,
        params TEXT NOT NULL,
        outcome TEXT NOT NULL,
        reason TEXT,
        exit_code INTEGER,
        duration_ms BIGINT,
        finished_at TEXT,
        last_position BIGINT NOT NULL
      )`,
  // Newest-first keyset paging on accepted_position, alone or after one equality filter.
  // Not unique: two nodes upserting one command at once must meet only on the command_id arbiter (a second unique index raises instead of waiting).
  'CREATE INDEX audit_commands_position ON audit_commands (accepted_position)',
  ...['actor', 'type', 'target', 'environment', 'outcome'].map(
    (column) => `CREATE INDEX audit_commands_${column} ON audit_commands (${column}, accepted_position)`,
  ),
  'CREATE INDEX audit_commands_accepted_at ON audit_commands (accepted_at)',
  // One row per projection and node ("audit@node-a"): each node's own progress through the shared log.
  'CREATE TABLE projection_checkpoints (projection TEXT PRIMARY KEY, position BIGINT NOT NULL, hash TEXT)',
];

/** The audit read model and the projections' checkpoints on PostgreSQL: the same columns as projections.db. */
export class CreatePostgresAudit1796515200001 implements MigrationInterface {
  name = 'CreatePostgresAudit1796515200001';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of STATEMENTS) await runner.query(statement);
  }

  async down(): Promise<void> {
    // Forward only, like the log's PostgreSQL migration.
  }
}
