import Database from 'better-sqlite3';
import { forEachEngine } from '../../../../test/support/store-engines';
import { runPostgresMigrations } from '../database/postgres-migrations';
import { CreatePostgresProjectionVersions1796688000001 } from './migrations/1796688000001-create-postgres-projection-versions';
import { PgProjectionVersions } from './pg-projection-versions';
import type { PersistedProjection, ProjectionVersions } from './projection-versions';
import { SqliteProjectionVersions } from './sqlite-projection-versions';

forEachEngine((engine) => {
  let db: Database.Database | undefined;
  let versions: ProjectionVersions;
  let resets: number;
  const projection = (schemaVersion: number): PersistedProjection => ({
    name: 'audit',
    schemaVersion,
    reset: () => {
      resets += 1;
      return Promise.resolve();
    },
  });

  beforeEach(async () => {
    if (engine.name === 'sqlite') {
      db = new Database(':memory:');
      db.exec(
        'CREATE TABLE projection_versions (name TEXT PRIMARY KEY NOT NULL, schema_version INTEGER NOT NULL, position INTEGER NOT NULL)',
      );
      versions = new SqliteProjectionVersions(db);
    } else {
      const pool = engine.pool();
      await runPostgresMigrations(engine.settings(), [CreatePostgresProjectionVersions1796688000001]);
      versions = new PgProjectionVersions(pool);
    }
    resets = 0;
  });

  afterEach(() => db?.close());

  it('records and updates a version with its position', async () => {
    await versions.record('audit', 1, 10);
    await versions.record('audit', 1, 25);
    expect(await versions.all()).toEqual([{ name: 'audit', schemaVersion: 1, position: 25 }]);
  });

  it("drops a projection only when the stored version differs from the code's", async () => {
    await versions.record('audit', 1, 10);
    expect(await versions.dropIfChanged(projection(1))).toBeUndefined();
    expect(resets).toBe(0);
    expect(await versions.dropIfChanged(projection(2))).toBe('schema version changed from 1 to 2');
    expect(resets).toBe(1);
  });

  it('treats a projection recorded before versions existed as version 1', async () => {
    expect(await versions.dropIfChanged(projection(1))).toBeUndefined();
    expect(await versions.dropIfChanged(projection(3))).toBe('schema version changed from 1 to 3');
  });
});
