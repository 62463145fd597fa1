import type BetterSqlite3 from 'better-sqlite3';

export interface ProjectionVersion {
  name: string;
  schemaVersion: number;
  /** How far the projection had folded the log when this row was written (start-up, rebuild). */
  position: number;
}

/** A read model kept in projections.db: dropped and refolded when its code's schema version changes. */
export interface PersistedProjection {
  readonly name: string;
  /** Bump when the fold or the row shape changes meaning: the stored rows are then refolded at start. */
  readonly schemaVersion: number;
  /** Empties the read model and its checkpoint. */
  reset(): void;
}

/** The `projection_versions` table of projections.db. */
export class ProjectionVersions {
  private readonly select: BetterSqlite3.Statement;
  private readonly upsert: BetterSqlite3.Statement;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.select = db.prepare('SELECT name, schema_version AS schemaVersion, position FROM projection_versions WHERE name = ?');
    this.upsert = db.prepare(
      `INSERT INTO projection_versions (name, schema_version, position) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET schema_version = excluded.schema_version, position = excluded.position`,
    );
  }

  get(name: string): ProjectionVersion | undefined {
    return this.select.get(name) as ProjectionVersion | undefined;
  }

  all(): ProjectionVersion[] {
    return this.db
      .prepare('SELECT name, schema_version AS schemaVersion, position FROM projection_versions ORDER BY name')
      .all() as ProjectionVersion[];
  }

  record(name: string, schemaVersion: number, position: number): void {
    this.upsert.run(name, schemaVersion, position);
  }

  /**
   * Drops `projection` when the stored rows were written by another schema version
   * (a missing row means rows from before versions were recorded: version 1).
   * Returns the reason when it did, for the caller to log.
   */
  dropIfChanged(projection: PersistedProjection): string | undefined {
    const stored = this.get(projection.name)?.schemaVersion ?? 1;
    if (stored === projection.schemaVersion) return undefined;
    projection.reset();
    return `schema version changed from ${stored} to ${projection.schemaVersion}`;
  }
}
