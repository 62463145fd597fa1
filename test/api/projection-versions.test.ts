import Database from 'better-sqlite3';
import { join } from 'node:path';
import { getJson, postJson } from '../support/http';
import { startServer, type RunningServer } from '../support/server';

/** AUDIT_SCHEMA_VERSION in apps/api/src/audit/audit-store.ts (2 since approvals added outcomes). */
const AUDIT_SCHEMA_VERSION = 2;

interface VersionRow {
  name: string;
  schema_version: number;
  position: number;
}

/** Runs `work` on the server's projections.db (the server stopped). */
function withProjections<T>(dataDir: string, work: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'projections.db'));
  try {
    return work(db);
  } finally {
    db.close();
  }
}

const FIRST_ACTOR = 'SELECT actor FROM audit_commands WHERE rowid = (SELECT MIN(rowid) FROM audit_commands)';

describe('projection schema versions (projection_versions in projections.db)', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer();
    for (let i = 0; i < 3; i++) {
      const response = await postJson(server.baseUrl, '/api/commands', {
        type: 'ping',
        target: 'vigil',
        environment: 'staging',
        params: {},
      });
      expect(response.status).toBe(202);
    }
    await getJson(server.baseUrl, '/api/audit');
    await server.stop();
  });

  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  it('records each persisted projection with its schema version and folded position', () => {
    const { versions, checkpoint } = withProjections(server.dataDir, (db) => ({
      versions: db.prepare('SELECT name, schema_version, position FROM projection_versions').all() as VersionRow[],
      checkpoint: (db.prepare("SELECT position FROM projection_checkpoints WHERE projection = 'audit'").get() as { position: number })
        .position,
    }));
    expect(versions).toEqual([{ name: 'audit', schema_version: AUDIT_SCHEMA_VERSION, position: checkpoint }]);
    expect(checkpoint).toBeGreaterThan(0);
  });

  it('keeps stored rows while the version matches, and refolds them at start when it changed', async () => {
    // A row altered in the file survives a start with the same version: nothing refolds it...
    withProjections(server.dataDir, (db) =>
      db.prepare("UPDATE audit_commands SET actor = 'tampered' WHERE rowid = (SELECT MIN(rowid) FROM audit_commands)").run(),
    );
    server = await startServer({ dataDir: server.dataDir });
    await server.stop();
    expect(server.output()).not.toMatch(/schema version changed/);
    expect(withProjections(server.dataDir, (db) => db.prepare(FIRST_ACTOR).get())).toEqual({ actor: 'tampered' });

    // ...but a stored version other than the code's drops the read model and refolds it from the log.
    withProjections(server.dataDir, (db) => db.prepare("UPDATE projection_versions SET schema_version = 0 WHERE name = 'audit'").run());
    server = await startServer({ dataDir: server.dataDir });
    await server.stop();
    expect(server.output()).toContain(
      `schema version changed from 0 to ${AUDIT_SCHEMA_VERSION}: dropped the audit read model, refolding it from the log`,
    );
    const after = withProjections(server.dataDir, (db) => ({
      actor: db.prepare(FIRST_ACTOR).get(),
      version: db.prepare("SELECT schema_version FROM projection_versions WHERE name = 'audit'").get(),
    }));
    expect(after).toEqual({ actor: { actor: 'admin' }, version: { schema_version: AUDIT_SCHEMA_VERSION } });
  });
});
