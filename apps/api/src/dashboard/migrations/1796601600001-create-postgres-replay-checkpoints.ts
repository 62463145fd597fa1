import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATEMENTS: readonly string[] = [
  `CREATE TABLE replay_checkpoints (
        position BIGINT PRIMARY KEY,
        time TEXT NOT NULL,
        hash TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        state BYTEA NOT NULL
      )`,
];

/** Dashboard-state checkpoints for replay on PostgreSQL, shared by the nodes. */
export class CreatePostgresReplayCheckpoints1796601600001 implements MigrationInterface {
  name = 'CreatePostgresReplayCheckpoints1796601600001';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of STATEMENTS) await runner.query(statement);
  }

  async down(): Promise<void> {
    // Forward only, like the log's PostgreSQL migration.
  }
}
