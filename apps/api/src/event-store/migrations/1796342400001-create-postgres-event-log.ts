import type { MigrationInterface, QueryRunner } from 'typeorm';
import { GENESIS_HASH } from '../event-hash';

/**
 * The event log on PostgreSQL. `data`, `meta` and `time` are text: the exact
 * bytes the hash covers (jsonb would reorder keys, timestamptz reformat times).
 * `event_log_head` is one row (id 1): the last position, its hash and time.
 * Every append locks it (SELECT … FOR UPDATE) and moves it in the same
 * transaction as its inserts, so appends from every node are serialised,
 * positions are dense in commit order and a rollback leaves no gap.
 */
export class CreatePostgresEventLog1796342400001 implements MigrationInterface {
  name = 'CreatePostgresEventLog1796342400001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE events (
        position bigint PRIMARY KEY,
        stream text NOT NULL,
        version integer NOT NULL,
        type text NOT NULL,
        environment text,
        data text NOT NULL,
        meta text NOT NULL,
        time text NOT NULL,
        hash text NOT NULL,
        CONSTRAINT events_stream_version UNIQUE (stream, version)
      )`);
    await runner.query(`CREATE INDEX events_type ON events (type)`);
    await runner.query(`
      CREATE TABLE event_log_head (
        id smallint PRIMARY KEY CHECK (id = 1),
        position bigint NOT NULL,
        hash text NOT NULL,
        time text
      )`);
    await runner.query(`INSERT INTO event_log_head (id, position, hash) VALUES (1, 0, $1)`, [GENESIS_HASH]);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE event_log_head`);
    await runner.query(`DROP TABLE events`);
  }
}
