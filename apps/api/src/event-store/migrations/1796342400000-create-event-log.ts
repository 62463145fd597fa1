import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The event log table. INTEGER PRIMARY KEY makes position the rowid: dense and ordered. */
export class CreateEventLog1796342400000 implements MigrationInterface {
  name = 'CreateEventLog1796342400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE events (
        position INTEGER PRIMARY KEY,
        stream TEXT NOT NULL,
        version INTEGER NOT NULL,
        type TEXT NOT NULL,
        environment TEXT,
        data TEXT NOT NULL,
        meta TEXT NOT NULL,
        time TEXT NOT NULL,
        hash TEXT NOT NULL
      )`);
    await runner.query(`CREATE UNIQUE INDEX events_stream_version ON events (stream, version)`);
    await runner.query(`CREATE INDEX events_type ON events (type)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE events`);
  }
}
