import type BetterSqlite3 from 'better-sqlite3';
import { ProjectionVersions, type ProjectionVersion } from './projection-versions';

/** The `projection_versions` table of projections.db. */
export class SqliteProjectionVersions extends ProjectionVersions {
  private readonly select: BetterSqlite3.Statement;
  private readonly upsert: BetterSqlite3.Statement;

  constructor(private readonly db: BetterSqlite3.Database) {
    super();
    this.select = db.prepare('SELECT name, schema_version AS schemaVersion, position FROM projection_versions WHERE name = ?');
    this.upsert = db.prepare(
      `INSERT INTO projection_versions (name, schema_version, position) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET schema_version = excluded.schema_version, position = excluded.position`,
    );
  }

  get(name: string): Promise<ProjectionVersion | undefined> {
    return Promise.resolve(this.select.get(name) as ProjectionVersion | undefined);
  }

  all(): Promise<ProjectionVersion[]> {
    return Promise.resolve(
      this.db
        .prepare('SELECT name, schema_version AS schemaVersion, position FROM projection_versions ORDER BY name')
        .all() as ProjectionVersion[],
    );
  }

  record(name: string, schemaVersion: number, position: number): Promise<void> {
    this.upsert.run(name, schemaVersion, position);
    return Promise.resolve();
  }
}
