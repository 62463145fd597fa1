import type pg from 'pg';
import { ProjectionVersions, type ProjectionVersion } from './projection-versions';

/**
 * `projection_versions` on PostgreSQL, one row per projection for the whole cluster
 * (the rows it describes are shared). Nodes running the same code write the same
 * version; the position only ever moves forward, whichever node writes last.
 */
export class PgProjectionVersions extends ProjectionVersions {
  constructor(private readonly pool: pg.Pool) {
    super();
  }

  async get(name: string): Promise<ProjectionVersion | undefined> {
    return (await this.select('WHERE name = $1', [name]))[0];
  }

  all(): Promise<ProjectionVersion[]> {
    return this.select('ORDER BY name', []);
  }

  async record(name: string, schemaVersion: number, position: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO projection_versions AS v (name, schema_version, position) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET schema_version = excluded.schema_version,
         position = CASE WHEN v.schema_version = excluded.schema_version THEN GREATEST(v.position, excluded.position) ELSE excluded.position END`,
      [name, schemaVersion, position],
    );
  }

  private async select(tail: string, values: unknown[]): Promise<ProjectionVersion[]> {
    const { rows } = await this.pool.query<{ name: string; schema_version: number; position: string }>(
      `SELECT name, schema_version, position FROM projection_versions ${tail}`,
      values,
    );
    return rows.map((row) => ({ name: row.name, schemaVersion: row.schema_version, position: Number(row.position) }));
  }
}
