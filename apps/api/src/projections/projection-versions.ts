export interface ProjectionVersion {
  name: string;
  schemaVersion: number;
  /** How far the projection had folded the log when this row was written (start-up, rebuild). */
  position: number;
}

/** A persisted read model: dropped and refolded when its code's schema version changes. */
export interface PersistedProjection {
  readonly name: string;
  /** Bump when the fold or the row shape changes meaning: the stored rows are then refolded at start. */
  readonly schemaVersion: number;
  /** Empties the read model and its checkpoint. */
  reset(): Promise<void>;
}

/**
 * The `projection_versions` table (projections.db, or PostgreSQL beside the log):
 * the schema version of each persisted projection. The abstract class holds the
 * rule; SqliteProjectionVersions and PgProjectionVersions hold the rows.
 */
export abstract class ProjectionVersions {
  abstract get(name: string): Promise<ProjectionVersion | undefined>;
  abstract all(): Promise<ProjectionVersion[]>;
  abstract record(name: string, schemaVersion: number, position: number): Promise<void>;

  /**
   * Drops `projection` when the stored rows were written by another schema version
   * (a missing row means rows from before versions were recorded: version 1).
   * Returns the reason when it did, for the caller to log.
   */
  async dropIfChanged(projection: PersistedProjection): Promise<string | undefined> {
    const stored = (await this.get(projection.name))?.schemaVersion ?? 1;
    if (stored === projection.schemaVersion) return undefined;
    await projection.reset();
    return `schema version changed from ${stored} to ${projection.schemaVersion}`;
  }
}
