import Database from 'better-sqlite3';
import { ProjectionVersions, type PersistedProjection } from './projection-versions';

describe('ProjectionVersions', () => {
  let db: Database.Database;
  let versions: ProjectionVersions;
  let resets: number;
  const projection = (schemaVersion: number): PersistedProjection => ({ name: 'audit', schemaVersion, reset: () => (resets += 1) });

  beforeEach(() => {
    db = new Database(':memory:');
    db.exec(
      'CREATE TABLE projection_versions (name TEXT PRIMARY KEY NOT NULL, schema_version INTEGER NOT NULL, position INTEGER NOT NULL)',
    );
    versions = new ProjectionVersions(db);
    resets = 0;
  });

  afterEach(() => db.close());

  it('records and updates a version with its position', () => {
    versions.record('audit', 1, 10);
    versions.record('audit', 1, 25);
    expect(versions.all()).toEqual([{ name: 'audit', schemaVersion: 1, position: 25 }]);
  });

  it("drops a projection only when the stored version differs from the code's", () => {
    versions.record('audit', 1, 10);
    expect(versions.dropIfChanged(projection(1))).toBeUndefined();
    expect(resets).toBe(0);
    expect(versions.dropIfChanged(projection(2))).toBe('schema version changed from 1 to 2');
    expect(resets).toBe(1);
  });

  it('treats a projection recorded before versions existed as version 1', () => {
    expect(versions.dropIfChanged(projection(1))).toBeUndefined();
    expect(versions.dropIfChanged(projection(3))).toBe('schema version changed from 1 to 3');
  });
});
