import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit read model and the projections' checkpoint table, in projections.db. */
export class CreateAudit1796515200000 implements MigrationInterface {
  name = 'CreateAudit1796515200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE audit_commands (
        command_id TEXT PRIMARY KEY NOT NULL,
        accepted_position INTEGER NOT NULL,
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
        duration_ms INTEGER,
        finished_at TEXT,
        last_position INTEGER NOT NULL
      )`);
    // Newest-first keyset paging on accepted_position, alone or after one equality filter.
    await runner.query(`CREATE UNIQUE INDEX audit_commands_position ON audit_commands (accepted_position)`);
    for (const column of ['actor', 'type', 'target', 'environment', 'outcome']) {
      await runner.query(`CREATE INDEX audit_commands_${column} ON audit_commands (${column}, accepted_position)`);
    }
    await runner.query(`CREATE INDEX audit_commands_accepted_at ON audit_commands (accepted_at)`);
    await runner.query(`
      CREATE TABLE projection_checkpoints (
        projection TEXT PRIMARY KEY NOT NULL,
        position INTEGER NOT NULL,
        hash TEXT
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE projection_checkpoints`);
    await runner.query(`DROP TABLE audit_commands`);
  }
}
