import Database from 'better-sqlite3';
import { join } from 'node:path';
import { runCli } from '../support/cli';
import { getJson, ping, postJson, send } from '../support/http';
import { login, startServer, type RunningServer, type TestSession } from '../support/server';
import { SseClient } from '../support/sse-client';

interface Incident {
  incidentId: string;
  title: string;
  severity: string;
  status: string;
  commander: string | null;
  from: string;
  to: string | null;
  resolvedAt?: string;
  notes: { noteId: string; text: string; at: string; amends?: string; amendedBy: string[] }[];
  pins: { position: number; reason: string }[];
  changes: { type: string; by: string }[];
}
interface Timeline {
  rows: { position: number; at: string; type: string; kind: string; actor?: string; outcome?: string; pinned?: string[] }[];
  watching: { username: string; from: string; to: string | null }[];
  head: { position: number; hash: string };
}

const PASSWORD = 'incident-test-password-1';

function bearer(session: TestSession): Record<string, string> {
  return { authorization: `Bearer ${session.accessToken}` };
}

function patch<T>(server: RunningServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  return send<T>(server.baseUrl, 'PATCH', path, { body: JSON.stringify(body), headers });
}

/** The log's own rows of a window, read straight from events.db. */
function logEvents(server: RunningServer, fromPosition: number, toPosition: number): { position: number; type: string; data: string }[] {
  const db = new Database(join(server.dataDir, 'events.db'), { readonly: true });
  try {
    return db
      .prepare('SELECT position, type, data FROM events WHERE position >= ? AND position <= ? ORDER BY position')
      .all(fromPosition, toPosition) as { position: number; type: string; data: string }[];
  } finally {
    db.close();
  }
}

const TIMELINE_TYPES =
  /^(alert\.|service\.|host\.|stream\.|command\.(accepted|denied|completed|failed|cancelled|interrupted|approval-)|alert-rule\.changed|notification\.escalated|maintenance\.marked)/;

describe('incidents', () => {
  let server: RunningServer;
  let viewer: TestSession;
  let operator: TestSession;

  beforeAll(async () => {
    server = await startServer({ recordStreams: true });
    for (const [username, role] of [
      ['vic', 'viewer'],
      ['olga', 'operator'],
    ]) {
      const created = await postJson(server.baseUrl, '/api/users', { username, role, password: PASSWORD });
      expect(created.status).toBe(201);
    }
    viewer = await login(server.baseUrl, 'vic', PASSWORD);
    operator = await login(server.baseUrl, 'olga', PASSWORD);
  });

  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  async function openIncident(body: Record<string, unknown> = {}, headers = bearer(operator)): Promise<Incident> {
    const from = new Date(Date.now() - 60_000).toISOString();
    const opened = await postJson<Incident>(
      server.baseUrl,
      '/api/incidents',
      { title: 'API errors', severity: 'error', from, ...body },
      headers,
    );
    expect(opened.status).toBe(201);
    return opened.body;
  }

  it('runs an incident through its lifecycle, each changed field its own event', async () => {
    const incident = await openIncident();
    expect(incident).toMatchObject({ title: 'API errors', severity: 'error', status: 'investigating', commander: null, to: null });
    const changed = await patch<Incident>(
      server,
      `/api/incidents/${incident.incidentId}`,
      { title: 'API 5xx', commander: 'olga', status: 'mitigated' },
      bearer(operator),
    );
    expect(changed.status).toBe(200);
    expect(changed.body.changes.map((c) => c.type)).toEqual([
      'incident.title-changed',
      'incident.commander-changed',
      'incident.status-changed',
    ]);
    expect(changed.body.changes.every((c) => c.by === 'olga')).toBe(true);
    // Same values again: nothing to record.
    const same = await patch<Incident>(server, `/api/incidents/${incident.incidentId}`, { title: 'API 5xx' }, bearer(operator));
    expect(same.body.changes).toHaveLength(3);
    const resolved = await patch<Incident>(server, `/api/incidents/${incident.incidentId}`, {
      status: 'resolved',
      severity: 'critical',
      to: new Date().toISOString(),
    });
    expect(resolved.body).toMatchObject({ status: 'resolved', severity: 'critical' });
    expect(resolved.body.resolvedAt).toBeDefined();
    expect(resolved.body.to).not.toBeNull();

    const list = await getJson<{ incidents: (Incident & { durationMs: number })[] }>(server.baseUrl, '/api/incidents?status=resolved');
    const item = list.body.incidents.find((i) => i.incidentId === incident.incidentId);
    expect(item?.durationMs).toBeGreaterThanOrEqual(60_000);
    const stream = logEvents(server, 1, 1e9)
      .filter((row) => row.data.includes(incident.incidentId))
      .map((row) => row.type);
    expect(stream).toEqual([
      'incident.opened',
      'incident.title-changed',
      'incident.commander-changed',
      'incident.status-changed',
      'incident.severity-changed',
      'incident.status-changed',
      'incident.window-changed',
    ]);
  });

  it('keeps every note: a correction amends the one it corrects and both show', async () => {
    const incident = await openIncident();
    const at = new Date(Date.now() - 30_000).toISOString();
    const first = await postJson<{ noteId: string }>(
      server.baseUrl,
      `/api/incidents/${incident.incidentId}/notes`,
      { text: 'db failover at 13:02', at },
      bearer(operator),
    );
    expect(first.status).toBe(201);
    const fix = await postJson<{ noteId: string; amends: string }>(
      server.baseUrl,
      `/api/incidents/${incident.incidentId}/notes`,
      { text: 'failover was at 13:03, not 13:02', at, amends: first.body.noteId },
      bearer(operator),
    );
    expect(fix.status).toBe(201);
    expect(fix.body.amends).toBe(first.body.noteId);
    const view = await getJson<Incident>(server.baseUrl, `/api/incidents/${incident.incidentId}`);
    expect(view.body.notes.map((n) => n.text)).toEqual(['db failover at 13:02', 'failover was at 13:03, not 13:02']);
    expect(view.body.notes[0].amendedBy).toEqual([fix.body.noteId]);

    const unknown = await postJson(server.baseUrl, `/api/incidents/${incident.incidentId}/notes`, {
      text: 'x',
      at,
      amends: incident.incidentId,
    });
    expect(unknown.status).toBe(404);
    const future = await postJson<{ details: { path: string }[] }>(server.baseUrl, `/api/incidents/${incident.incidentId}/notes`, {
      text: 'x',
      at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(future.status).toBe(400);
    expect(future.body.details[0].path).toBe('body.at');
  });

  it('pins an event of the window with a reason, and nothing outside it', async () => {
    const incident = await openIncident({ from: new Date().toISOString() });
    const { position } = await ping(server.baseUrl);
    const pinned = await postJson<Incident>(
      server.baseUrl,
      `/api/incidents/${incident.incidentId}/pins`,
      { position, reason: 'first action' },
      bearer(operator),
    );
    expect(pinned.status).toBe(201);
    expect(pinned.body.pins).toEqual([expect.objectContaining({ position, reason: 'first action' })]);
    const timeline = await getJson<Timeline>(server.baseUrl, `/api/incidents/${incident.incidentId}/timeline`);
    expect(timeline.body.rows.find((r) => r.position === position)).toMatchObject({ type: 'command.accepted', pinned: ['first action'] });
    expect(
      (await postJson(server.baseUrl, `/api/incidents/${incident.incidentId}/pins`, { position: 1, reason: 'too early' })).status,
    ).toBe(400);
    expect((await postJson(server.baseUrl, `/api/incidents/${incident.incidentId}/pins`, { position: 1e9, reason: 'none' })).status).toBe(
      404,
    );
  });

  it('lets operators and admins change incidents, viewers only read them, strangers nothing', async () => {
    const incident = await openIncident({}, {});
    const id = incident.incidentId;
    const now = new Date().toISOString();
    expect((await postJson(server.baseUrl, '/api/incidents', { title: 't', severity: 'info', from: now }, bearer(viewer))).status).toBe(
      403,
    );
    expect((await patch(server, `/api/incidents/${id}`, { title: 'no' }, bearer(viewer))).status).toBe(403);
    expect((await postJson(server.baseUrl, `/api/incidents/${id}/notes`, { text: 'no', at: now }, bearer(viewer))).status).toBe(403);
    expect((await postJson(server.baseUrl, `/api/incidents/${id}/pins`, { position: 1, reason: 'no' }, bearer(viewer))).status).toBe(403);
    expect((await getJson(server.baseUrl, `/api/incidents/${id}`, bearer(viewer))).status).toBe(200);
    expect((await getJson(server.baseUrl, `/api/incidents/${id}/postmortem.md`, bearer(viewer))).status).toBe(200);
    const anonymous = { authorization: 'Bearer nope' };
    expect((await getJson(server.baseUrl, '/api/incidents', anonymous)).status).toBe(401);
    expect((await postJson(server.baseUrl, '/api/incidents', { title: 't', severity: 'info', from: now }, anonymous)).status).toBe(401);
    expect((await patch(server, `/api/incidents/${id}`, { commander: 'olga' }, bearer(operator))).status).toBe(200);
  });

  it('answers bad input with a 400 naming the field and writes nothing', async () => {
    const before = logEvents(server, 1, 1e9).length;
    const cases: [string, string, unknown, number][] = [
      ['POST', '/api/incidents', { severity: 'error', from: new Date().toISOString() }, 400],
      ['POST', '/api/incidents', { title: 'x', severity: 'dire', from: new Date().toISOString() }, 400],
      ['POST', '/api/incidents', { title: 'x', severity: 'info', from: 'yesterday' }, 400],
      ['POST', '/api/incidents', { title: 'x', severity: 'info', from: new Date().toISOString(), extra: 1 }, 400],
      ['POST', '/api/incidents', { title: 'x', severity: 'info', from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 400],
      ['PATCH', '/api/incidents/not-a-uuid', { title: 'x' }, 400],
      ['PATCH', '/api/incidents/00000000-0000-4000-8000-000000000000', { title: 'x' }, 404],
      ['GET', '/api/incidents/00000000-0000-4000-8000-000000000000', undefined, 404],
      ['PATCH', '/api/incidents/00000000-0000-4000-8000-000000000000', {}, 400],
    ];
    for (const [method, path, body, status] of cases) {
      const answer = await send<{ statusCode: number; message: string }>(
        server.baseUrl,
        method,
        path,
        body === undefined ? {} : { body: JSON.stringify(body) },
      );
      expect([method, path, answer.status]).toEqual([method, path, status]);
      expect(answer.body.statusCode).toBe(status);
    }
    expect(logEvents(server, 1, 1e9).length).toBe(before);
  });

  it("exports a postmortem whose timeline is the log's events of the window, with a chain head that verifies", async () => {
    const from = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Someone watches while it happens.
    const watcher = await SseClient.connect(server.baseUrl, '/api/stream', bearer(operator));
    await ping(server.baseUrl);
    await ping(server.baseUrl, bearer(operator));
    const denied = await postJson(
      server.baseUrl,
      '/api/commands',
      { type: 'deploy', target: 'web-server', environment: 'production', params: { version: '2' } },
      bearer(operator),
    );
    expect(denied.status).toBe(403);
    watcher.close();
    const incident = await openIncident({ from });
    const at = new Date(Date.now() - 500).toISOString();
    await postJson(server.baseUrl, `/api/incidents/${incident.incidentId}/notes`, { text: 'looked at it', at }, bearer(operator));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const to = new Date().toISOString();
    expect((await patch(server, `/api/incidents/${incident.incidentId}`, { to }, bearer(operator))).status).toBe(200);

    const timeline = await getJson<Timeline>(server.baseUrl, `/api/incidents/${incident.incidentId}/timeline`);
    const md = await getJson<string>(server.baseUrl, `/api/incidents/${incident.incidentId}/postmortem.md`);
    expect(md.status).toBe(200);
    expect(md.headers['content-type']).toMatch(/^text\/markdown/);
    const text = md.text;

    // The log's events of the window, straight from the file.
    const all = logEvents(server, 1, 1e9);
    const times = new Database(join(server.dataDir, 'events.db'), { readonly: true });
    const rows = times.prepare('SELECT position, time FROM events').all() as { position: number; time: string }[];
    times.close();
    const timeOf = new Map(rows.map((r) => [r.position, r.time]));
    const inWindow = all.filter((e) => {
      const t = Date.parse(timeOf.get(e.position)!);
      return t > Date.parse(from) && t <= Date.parse(to);
    });
    const expected = inWindow
      .filter(
        (e) =>
          TIMELINE_TYPES.test(e.type) ||
          (e.type.startsWith('incident.') && !/noted|pinned/.test(e.type) && e.data.includes(incident.incidentId)),
      )
      .map((e) => e.position);
    expect(expected.length).toBeGreaterThanOrEqual(8);
    const mdRows = [...text.matchAll(/^\| (\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ) \| (\d+) \| (\w+) \|/gm)].map((m) => ({
      time: m[1],
      position: Number(m[2]),
      kind: m[3],
    }));
    expect(mdRows.filter((r) => r.kind !== 'note').map((r) => r.position)).toEqual(expected);
    expect(timeline.body.rows.filter((r) => r.kind !== 'note').map((r) => r.position)).toEqual(expected);
    // Times are UTC, each the event's own.
    for (const row of mdRows.filter((r) => r.kind !== 'note'))
      expect(row.time).toBe(`${timeOf.get(row.position)!.slice(0, 10)} ${timeOf.get(row.position)!.slice(11, 19)}Z`);
    // The note sits at its moment, before the later events.
    const notePlace = mdRows.findIndex((r) => r.kind === 'note');
    expect(mdRows.slice(notePlace + 1).every((r) => Date.parse(timeOf.get(r.position)!) >= Date.parse(at))).toBe(true);
    // Commands: who and outcome, the denied one too.
    const accepted = timeline.body.rows.filter((r) => r.type === 'command.accepted');
    expect(accepted.map((r) => [r.actor, r.outcome])).toEqual([
      ['admin', 'completed'],
      ['olga', 'completed'],
    ]);
    expect(timeline.body.rows.find((r) => r.type === 'command.denied')).toMatchObject({ actor: 'olga', outcome: 'denied' });
    expect(text).toMatch(/## Commands run[\s\S]*olga: ping vigil@staging → completed/);
    expect(timeline.body.watching.map((w) => w.username)).toContain('olga');
    expect(text).toContain('## Notes');
    expect(text).toContain('looked at it');

    // The closing line's chain head is the log's and verifies.
    const closing = /position (\d+), sha256 `([0-9a-f]{64})`/.exec(text);
    expect(closing).not.toBeNull();
    const [, position, hash] = closing!;
    const verify = await runCli(['verify', '--position', position], server.dataDir);
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain(`position ${position}: sha256 ${hash}`);
    const audit = await getJson<{ ok: boolean; lastPosition: number }>(server.baseUrl, '/api/audit/verify');
    expect(audit.body.ok).toBe(true);
    expect(audit.body.lastPosition).toBeGreaterThanOrEqual(Number(position));
  });

  it('records who watched only once per connection and never to streams that did not ask', async () => {
    const plain = await SseClient.connect(server.baseUrl, '/api/stream');
    const watching = await SseClient.connect(server.baseUrl, '/api/stream?types=stream.*');
    const other = await SseClient.connect(server.baseUrl, '/api/stream', bearer(viewer));
    other.close();
    await watching.waitFor('stream.closed', (m) => m.some((x) => x.json.type === 'stream.closed'), 10_000);
    await ping(server.baseUrl);
    await plain.waitFor('ping', (m) => m.some((x) => x.json.type === 'command.completed'), 10_000);
    expect(plain.messages.some((m) => m.json.type.startsWith('stream.'))).toBe(false);
    plain.close();
    watching.close();
  });
});
