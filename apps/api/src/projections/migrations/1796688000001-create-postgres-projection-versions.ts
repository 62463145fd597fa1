import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATEMENTS: readonly string[] = [
  'CREATE TABLE projection_versions (name TEXT PRIMARY KEY, schema_version INTEGER NOT NULL, position BIGINT NOT NULL)',
];

/** Which schema version of each persisted projection PostgreSQL holds (one row per projection for the cluster). */
export class CreatePostgresProjectionVersions1796688000001 implements MigrationInterface {
  name = 'CreatePostgresProjectionVersions1796688000001';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of STATEMENTS) await runner.query(statement);
  }

  async down(): Promise<void> {
    // Forward only, like the log's PostgreSQL migration.
  }
}
