import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Which schema version of each persisted projection projections.db holds, and how far it had folded. */
export class CreateProjectionVersions1796688000000 implements MigrationInterface {
  name = 'CreateProjectionVersions1796688000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE projection_versions (
        name TEXT PRIMARY KEY NOT NULL,
        schema_version INTEGER NOT NULL,
        position INTEGER NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE projection_versions`);
  }
}
