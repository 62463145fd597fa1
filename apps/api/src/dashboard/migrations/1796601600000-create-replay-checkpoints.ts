import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Dashboard-state checkpoints for replay (projections.db), one row every N events. */
export class CreateReplayCheckpoints1796601600000 implements MigrationInterface {
  name = 'CreateReplayCheckpoints1796601600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE replay_checkpoints (
        position INTEGER PRIMARY KEY NOT NULL,
        time TEXT NOT NULL,
        hash TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        state BLOB NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE replay_checkpoints`);
  }
}
