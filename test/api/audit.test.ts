import type { AuditEntry } from '@vigil/shared';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, getJson, logPosition, postJson, send } from '../support/http';
import { login, startServer, type RunningServer } from '../support/server';

interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

const CSV_COLUMNS = [
  'commandId',
  'acceptedPosition',
  'acceptedAt',
  'actor',
  'actorId',
  'ip',
  'type',
  'target',
  'environment',
  'params',
  'outcome',
  'reason',
  'exitCode',
  'durationMs',
  'finishedAt',
  'lastPosition',
] as const;

/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

function asCsvRecord(entry: AuditEntry): string[] {
  return CSV_COLUMNS.map((column) => {
    const value = entry[column];
    if (value === null) return '';
    // params is the one object column: the CSV holds its JSON.
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('audit trail: GET /api/audit, export, verify', () => {
  let server: RunningServer;
  const byActor = { alice: [] as string[], bob: [] as string[] };
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let early: string[] = [];
  let late: string[] = [];
  let mid: string;
  let all: AuditEntry[];

  async function pingAs(user: 'alice' | 'bob', environment: 'staging' | 'production'): Promise<string> {
    const response = await postJson<{ commandId: string }>(
      server.baseUrl,
      '/api/commands',
      { type: 'ping', target: 'vigil', environment, params: {} },
      { authorization: `Bearer ${tokens[user]}` },
    );
    if (response.status !== 202) throw new Error(`ping answered ${response.status}: ${response.text}`);
    byActor[user].push(response.body.commandId);
    return response.body.commandId;
  }

  const audit = (query = '') => getJson<AuditPage>(server.baseUrl, `/api/audit${query}`);

  beforeAll(async () => {
    server = await startServer();
    for (const user of ['alice', 'bob', 'carol']) {
      const created = await postJson<{ id: string }>(server.baseUrl, '/api/users', {
        username: user,
        role: 'admin',
        password: `${user}-password-1`,
      });
      ids[user] = created.body.id;
      tokens[user] = (await login(server.baseUrl, user, `${user}-password-1`)).accessToken;
    }
    // 10 pings: alice 3 staging + 2 production, bob 2 staging + 3 production; 4 before `mid`, 6 after.
    early = [
      await pingAs('alice', 'staging'),
      await pingAs('bob', 'production'),
      await pingAs('alice', 'production'),
      await pingAs('bob', 'staging'),
    ];
    await sleep(30);
    mid = new Date().toISOString();
    await sleep(30);
    late = [
      await pingAs('alice', 'staging'),
      await pingAs('alice', 'staging'),
      await pingAs('bob', 'production'),
      await pingAs('bob', 'production'),
      await pingAs('alice', 'production'),
      await pingAs('bob', 'staging'),
    ];
    all = await eventually('every ping to complete in the audit trail', async () => {
      const page = await audit('?limit=500');
      return page.body.items.length === 10 && page.body.items.every((item) => item.outcome === 'completed') ? page.body.items : undefined;
    });
  });

  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  it('lists every command newest first with who, where, what and how it ended', () => {
    expect(all.map((item) => item.acceptedPosition)).toEqual([...all.map((item) => item.acceptedPosition)].sort((a, b) => b - a));
    const first = all[all.length - 1];
    expect(first).toMatchObject({
      commandId: early[0],
      actor: 'alice',
      actorId: ids.alice,
      type: 'ping',
      target: 'vigil',
      environment: 'staging',
      params: {},
      outcome: 'completed',
      exitCode: 0,
      reason: null,
    });
    expect(first.ip).toMatch(/127\.0\.0\.1/);
    expect(first.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(first.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(first.acceptedAt));
    expect(first.lastPosition).toBeGreaterThan(first.acceptedPosition);
  });

  it('shows a command in the very next answer after its 202', async () => {
    const response = await postJson<{ commandId: string; position: number }>(
      server.baseUrl,
      '/api/commands',
      { type: 'ping', target: 'vigil', environment: 'staging', params: {} },
      { authorization: `Bearer ${tokens.carol}` },
    );
    const page = await audit('?actor=carol');
    expect(page.body.items.map((item) => item.commandId)).toEqual([response.body.commandId]);
    expect(page.body.items[0].acceptedPosition).toBe(response.body.position);
    await eventually("carol's ping to complete", async () =>
      (await audit('?actor=carol')).body.items[0].outcome === 'completed' ? true : undefined,
    );
  });

  it('filters by actor, type, target, environment, outcome and time', async () => {
    const ids = async (query: string) => (await audit(query)).body.items.map((item) => item.commandId).sort();
    expect(await ids('?actor=alice')).toEqual([...byActor.alice].sort());
    expect(await ids('?actor=bob')).toEqual([...byActor.bob].sort());
    expect(await ids('?actor=nobody')).toEqual([]);
    expect(await ids('?type=ping&actor=alice')).toHaveLength(5);
    expect(await ids('?type=deploy')).toEqual([]);
    expect(await ids('?target=vigil&actor=bob')).toHaveLength(5);
    const production = (await audit('?environment=production')).body.items;
    expect(production).toHaveLength(5);
    expect(production.every((item) => item.environment === 'production')).toBe(true);
    expect(await ids('?environment=staging&actor=bob')).toHaveLength(2);
    expect((await ids('?outcome=completed&actor=alice')).length).toBe(5);
    expect(await ids('?outcome=failed')).toEqual([]);
    expect(await ids(`?from=${encodeURIComponent(mid)}&actor=alice`)).toEqual(late.filter((id) => byActor.alice.includes(id)).sort());
    expect(await ids(`?to=${encodeURIComponent(mid)}`)).toEqual([...early].sort());
  });

  it('pages with an opaque cursor, visiting every row exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response: { status: number; body: AuditPage } = await audit(`?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...response.body.items.map((item) => item.commandId));
      cursor = response.body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 20);
    const everything = (await audit('?limit=500')).body.items.map((item) => item.commandId);
    expect(everything).toHaveLength(11);
    expect(seen).toEqual(everything);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(4);
  });

  it('exports the same rows as NDJSON and as CSV, as attachments', async () => {
    const listed = (await audit('?limit=500')).body.items;

    const ndjson = await send(server.baseUrl, 'GET', '/api/audit/export?format=ndjson');
    expect(ndjson.status).toBe(200);
    expect(ndjson.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(ndjson.headers['content-disposition']).toMatch(
      /^attachment; filename="vigil-audit-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.ndjson"$/,
    );
    expect(ndjson.text.endsWith('\n')).toBe(true);
    const lines = ndjson.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEntry);
    expect(lines).toEqual(listed);

    const csv = await send(server.baseUrl, 'GET', '/api/audit/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="vigil-audit-.*\.csv"$/);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toEqual(listed.map(asCsvRecord));

    const filtered = await send(server.baseUrl, 'GET', '/api/audit/export?format=csv&actor=bob&environment=production');
    expect(
      parseCsv(filtered.text)
        .slice(1)
        .map((row) => row[0])
        .sort(),
    ).toEqual(
      listed
        .filter((item) => item.actor === 'bob' && item.environment === 'production')
        .map((item) => item.commandId)
        .sort(),
    );
  });

  it.each([
    ['an unknown key', '/api/audit?user=alice', 'query'],
    ['a limit of 0', '/api/audit?limit=0', 'query.limit'],
    ['a limit over 500', '/api/audit?limit=501', 'query.limit'],
    ['an unknown outcome', '/api/audit?outcome=exploded', 'query.outcome'],
    ['a bad time', '/api/audit?from=yesterday', 'query.from'],
    ['a forged cursor', '/api/audit?cursor=MTIz', 'query.cursor'],
    ['a repeated key', '/api/audit?actor=a&actor=b', 'query.actor'],
    ['an unknown export format', '/api/audit/export?format=xml', 'query.format'],
    ['a limit on the export', '/api/audit/export?format=csv&limit=5', 'query'],
  ])('answers 400 with details for %s', async (_name, path, detailPath) => {
    const response = await getJson<{ statusCode: number; error: string; message: string; details: { path: string; message: string }[] }>(
      server.baseUrl,
      path,
    );
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'invalid query' });
    expect(response.body.details.map((detail) => detail.path)).toContain(detailPath);
  });

  it('verifies the hash chain of the whole log', async () => {
    const position = await logPosition(server.baseUrl);
    const response = await getJson<{ ok: boolean; checked: number; lastPosition: number }>(server.baseUrl, '/api/audit/verify');
    expect(response.status).toBe(200);
    expect(response.body.ok).toBe(true);
    expect(response.body.checked).toBeGreaterThanOrEqual(position);
    expect(response.body.lastPosition).toBe(response.body.checked);
  });

  it('rebuilds identical rows from the log after projections.db is deleted', async () => {
    const before = (await audit('?limit=500')).body.items;
    const dataDir = server.dataDir;
    await server.stop();
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `projections.db${suffix}`), { force: true });
    server = await startServer({ dataDir });
    const after = (await audit('?limit=500')).body.items;
    expect(after).toEqual(before);
  });
});
