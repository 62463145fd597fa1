import type { AuditEntry } from '@vigil/shared';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { getJson, postJson } from '../support/http';
import { runCli } from '../support/cli';
import { configWith } from '../support/demo-config';
import { startServer, type RunningServer } from '../support/server';

/** Checkpoints every 100 events, so the replay checkpoints hold some (the default is 5,000). */
const CONFIG = configWith({ production: [], staging: [] }, { replay: { checkpointEvery: 100 } });

interface AuditPage {
  items: AuditEntry[];
}

interface DigestRow {
  name: string;
  before: string;
  after: string;
  verdict: string;
}

/** The rows of `vigil rebuild`'s table, by projection name. */
/** The CLI with the test server's config (written into its data dir by startServer). */
function vigil(args: string[], dataDir: string) {
  return runCli(args, dataDir, { env: { VIGIL_CONFIG: join(dataDir, 'vigil.config.yaml') } });
}

function digestRows(stdout: string): Map<string, DigestRow> {
  const rows = new Map<string, DigestRow>();
  for (const line of stdout.split('\n')) {
    const match = /^(\S+)\s+(?:persisted\s+|in-memory\s+)?([0-9a-f]{64})\s+([0-9a-f]{64})\s+(same|DIFFERS)$/.exec(line);
    if (match) rows.set(match[1], { name: match[1], before: match[2], after: match[3], verdict: match[4] });
  }
  return rows;
}

async function pingAs(server: RunningServer, environment: string): Promise<void> {
  const response = await postJson(server.baseUrl, '/api/commands', { type: 'ping', target: 'vigil', environment, params: {} });
  if (response.status !== 202) throw new Error(`ping answered ${response.status}: ${response.text}`);
}

describe('vigil rebuild and vigil verify', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ config: CONFIG });
    // Something in every read model: commands (audit, dashboard), a user, an alert rule change, a silence.
    const created = [
      await postJson(server.baseUrl, '/api/users', { username: 'dora', role: 'operator', password: 'dora-password-1' }),
      await postJson(server.baseUrl, '/api/alert-rules', {
        name: 'rebuild-test',
        kind: 'threshold',
        source: 'svc',
        environment: '*',
        metric: 'queue_depth',
        comparator: '>=',
        threshold: 1000,
        severity: 'info',
      }),
      await postJson(server.baseUrl, '/api/silences', {
        matchers: { rule: 'rebuild-test' },
        until: new Date(Date.now() + 3_600_000).toISOString(),
        reason: 'test',
      }),
    ];
    expect(created.map((response) => response.status)).toEqual([201, 201, 201]);
    for (let i = 0; i < 40; i++) await pingAs(server, i % 2 === 0 ? 'staging' : 'production');
  });

  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  it('verify passes on an intact log (the server running)', async () => {
    const result = await vigil(['verify'], server.dataDir);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^ok: the hash chain of \d+ events checks out/);
    expect(result.status).toBe(0);
  });

  it('rebuild refuses while the server holds the data dir, naming its pid', async () => {
    const result = await vigil(['rebuild'], server.dataDir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`a Vigil server (pid ${server.process.pid}`);
    expect(result.stdout).toBe('');
  });

  it('rebuild prints equal digests before and after for every projection, and again on a second run', async () => {
    const auditBefore = (await getJson<AuditPage>(server.baseUrl, '/api/audit?limit=500')).body.items;
    await server.stop();

    const first = await vigil(['rebuild'], server.dataDir);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const rows = digestRows(first.stdout);
    expect([...rows.keys()]).toEqual(['audit', 'replay-checkpoints', 'dashboard', 'users', 'alerts', 'overall']);
    for (const row of rows.values()) {
      expect(row.verdict).toBe('same');
      expect(row.after).toBe(row.before);
    }
    const db = new Database(join(server.dataDir, 'projections.db'), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM replay_checkpoints').pluck().get()).toBeGreaterThan(0);
    db.close();
    // Digests differ between projections (each covers its own state).
    expect(new Set([...rows.values()].map((row) => row.after)).size).toBe(rows.size);

    const second = digestRows((await vigil(['rebuild'], server.dataDir)).stdout);
    for (const [name, row] of rows) expect(second.get(name)?.before).toBe(row.after);

    server = await startServer({ dataDir: server.dataDir, config: CONFIG });
    expect((await getJson<AuditPage>(server.baseUrl, '/api/audit?limit=500')).body.items).toEqual(auditBefore);
  });

  it('rebuild reports a tampered audit row as a difference and restores it', async () => {
    await server.stop();
    const clean = digestRows((await vigil(['rebuild'], server.dataDir)).stdout);
    const db = new Database(join(server.dataDir, 'projections.db'));
    const changed = db.prepare("UPDATE audit_commands SET outcome = 'failed' WHERE rowid = (SELECT MIN(rowid) FROM audit_commands)").run();
    db.close();
    expect(changed.changes).toBe(1);

    const result = await vigil(['rebuild'], server.dataDir);
    expect(result.status).toBe(0);
    const rows = digestRows(result.stdout);
    expect(rows.get('audit')).toMatchObject({ verdict: 'DIFFERS', after: clean.get('audit')!.after });
    expect(rows.get('audit')!.before).not.toBe(clean.get('audit')!.after);
    expect(rows.get('dashboard')!.verdict).toBe('same');
    expect(rows.get('overall')!.verdict).toBe('DIFFERS');
    expect(result.stdout).toMatch(/now hold the refolded state/);
    server = await startServer({ dataDir: server.dataDir, config: CONFIG });
  });

  it('verify names exactly the position of a row altered in the SQLite file, in the CLI and the API', async () => {
    const health = await getJson<{ eventLogPosition: number }>(server.baseUrl, '/api/health');
    const target = Math.ceil(health.body.eventLogPosition / 2);
    expect(target).toBeGreaterThan(1);
    // Altered behind the running server's back, as an attacker with file access would.
    const db = new Database(join(server.dataDir, 'events.db'));
    db.pragma('busy_timeout = 5000');
    const changed = db.prepare("UPDATE events SET time = '2020-01-01T00:00:00.000Z' WHERE position = ?").run(target);
    db.close();
    expect(changed.changes).toBe(1);

    const cli = await vigil(['verify'], server.dataDir);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toMatch(new RegExp(`^BROKEN at position ${target}: hash mismatch at position ${target}`));
    const api = await getJson<{ ok: boolean; firstBadPosition: number; reason: string }>(server.baseUrl, '/api/audit/verify');
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({ ok: false, firstBadPosition: target });
  });

  it('usage errors exit 2 with the usage text listing every command', async () => {
    const result = await vigil(['verify', '--now'], server.dataDir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/verify: unexpected argument "--now"/);
    for (const command of ['user add', 'user list', 'verify', 'rebuild', 'export', 'review'])
      expect(result.stderr).toContain(`vigil ${command}`);
    expect((await vigil(['rebuld'], server.dataDir)).status).toBe(2);
  });
});
