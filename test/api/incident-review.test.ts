import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli';
import { getJson, ping, postJson, send } from '../support/http';
import { startReview, stopReview, type ReviewServer } from '../support/review';
import { startServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `vigil export --incident ID` carries the incident with its window, and `vigil review` shows its page as the live server does. */
describe('an incident exported and reviewed', () => {
  let server: RunningServer;
  let review: ReviewServer | undefined;
  let work: string;
  let incidentId: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vigil-incident-review-'));
    server = await startServer({ recordStreams: true });
    const from = new Date().toISOString();
    await sleep(10);
    const watcher = await SseClient.connect(server.baseUrl, '/api/stream');
    await ping(server.baseUrl);
    const opened = await postJson<{ incidentId: string }>(server.baseUrl, '/api/incidents', {
      title: 'Pings slow',
      severity: 'warning',
      from,
    });
    incidentId = opened.body.incidentId;
    const { position } = await ping(server.baseUrl);
    await postJson(server.baseUrl, `/api/incidents/${incidentId}/pins`, { position, reason: 'the second ping' });
    await postJson(server.baseUrl, `/api/incidents/${incidentId}/notes`, { text: 'started looking', at: from });
    watcher.close();
    await sleep(50);
    await send(server.baseUrl, 'PATCH', `/api/incidents/${incidentId}`, {
      body: JSON.stringify({ status: 'resolved', to: new Date().toISOString() }),
    });
  });

  afterAll(async () => {
    await stopReview(review);
    await server.stop();
    server.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it("serves the incident's page, timeline and postmortem from the bundle as the live server does", async () => {
    const exported = await runCli(['export', '--incident', incidentId], server.dataDir);
    expect(exported.status).toBe(0);
    const file = join(work, 'incident.ndjson');
    writeFileSync(file, exported.stdout);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; incidentId?: string });
    expect(lines[3]).toMatchObject({ kind: 'incident', incidentId });

    const live = {
      incident: await getJson(server.baseUrl, `/api/incidents/${incidentId}`),
      timeline: await getJson(server.baseUrl, `/api/incidents/${incidentId}/timeline`),
      postmortem: await getJson(server.baseUrl, `/api/incidents/${incidentId}/postmortem.md`),
    };
    review = await startReview(file);
    const reviewed = {
      incident: await getJson(review.baseUrl, `/api/incidents/${incidentId}`),
      timeline: await getJson(review.baseUrl, `/api/incidents/${incidentId}/timeline`),
      postmortem: await getJson(review.baseUrl, `/api/incidents/${incidentId}/postmortem.md`),
    };
    expect(reviewed.incident.body).toEqual(live.incident.body);
    const liveTimeline = live.timeline.body as { rows: { type: string }[]; watching: unknown[] };
    expect(liveTimeline.rows.map((r) => r.type)).toEqual(
      expect.arrayContaining(['command.accepted', 'incident.noted', 'stream.opened', 'stream.closed']),
    );
    expect(liveTimeline.watching).toHaveLength(1);
    expect(reviewed.timeline.body).toEqual(live.timeline.body);
    expect(reviewed.postmortem.text).toBe(live.postmortem.text);
    const list = await getJson<{ incidents: { incidentId: string }[] }>(review.baseUrl, '/api/incidents');
    expect(list.body.incidents.map((i) => i.incidentId)).toEqual([incidentId]);
    // Read-only: nothing that writes is mounted.
    expect((await postJson(review.baseUrl, `/api/incidents/${incidentId}/notes`, { text: 'x', at: new Date().toISOString() })).status).toBe(
      405,
    );
  });

  it('refuses an incident the log does not have, and --incident with a window', async () => {
    expect((await runCli(['export', '--incident', '00000000-0000-4000-8000-000000000000'], server.dataDir)).status).toBe(1);
    expect((await runCli(['export', '--incident', 'nope'], server.dataDir)).status).toBe(2);
    expect((await runCli(['export', '--incident', incidentId, '--from', '-1h'], server.dataDir)).status).toBe(2);
  });
});
