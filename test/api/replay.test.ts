import {
  DEFAULT_ROLES,
  environmentMatches,
  evolveDashboard,
  type DashboardState,
  type MetricSample,
  type StoredEvent,
  type StreamMessage,
} from '@vigil/shared';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { eventually, getJson, logPosition, postJson } from '../support/http';
import { omit } from '../support/objects';
import { login, startServer, stopServer, type RunningServer, type TestSession } from '../support/server';
import { SseClient, type SseMessage } from '../support/sse-client';

const PASSWORD = 'replay-password-0123';
/** An operator who may only see (and replay) staging. */
const ROLES = {
  ...DEFAULT_ROLES,
  'staging-operator': {
    description: 'Operates staging only, may replay it.',
    environments: ['staging'],
    commands: [{ types: ['*'], targets: ['*'], environments: ['staging'] }],
    capabilities: ['alerts.ack', 'replay'],
  },
};
const CONFIG = `
environments:
  - name: production
  - name: staging
roles: ${JSON.stringify(ROLES)}
replay:
  checkpointEvery: 100
`;

const bearer = (session: TestSession): Record<string, string> => ({ authorization: `Bearer ${session.accessToken}` });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** The time-series store flushes once a second: samples up to T are readable after this. */
const FLUSH_WAIT_MS = 1_500;

function pingIn(server: RunningServer, environment: string, headers: Record<string, string> = {}): Promise<unknown> {
  return postJson(server.baseUrl, '/api/commands', { type: 'ping', target: 'vigil', environment, params: {} }, headers).then((response) => {
    if (response.status !== 202) throw new Error(`ping answered ${response.status}`);
  });
}

function replayPath(from: string, to: string, extra = ''): string {
  return `/api/replay?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}${extra}`;
}

async function replay(server: RunningServer, path: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const client = await SseClient.connect(server.baseUrl, path, headers);
  expect(client.status).toBe(200);
  await client.waitFor('replay.end', (messages) => messages.some((m) => m.json.type === 'replay.end'), 20_000);
  await client.waitForEnd();
  return client;
}

const eventsOf = (messages: SseMessage[]): StoredEvent[] =>
  messages.filter((m) => m.id !== undefined).map((m) => m.json as unknown as StoredEvent);
const samplesOf = (messages: SseMessage[]): MetricSample[] =>
  messages.filter((m) => m.json.type === 'metrics').map((m) => omit(m.json as unknown as MetricSample & { type: string }, 'type'));

/**
 * What the time-series store can give back of a live sample: float32 values, only
 * finite ones, no `error`; a sample with no finite value was not stored at all.
 */
function asStored(sample: MetricSample): MetricSample | undefined {
  const values: Record<string, number> = {};
  for (const [name, value] of Object.entries(sample.values))
    if (typeof value === 'number' && Number.isFinite(value)) values[name] = Math.fround(value);
  if (Object.keys(values).length === 0) return undefined;
  return sample.environment === undefined
    ? { source: sample.source, time: sample.time, values }
    : { environment: sample.environment, source: sample.source, time: sample.time, values };
}

const byTimeAndSource = (a: MetricSample, b: MetricSample): number =>
  a.time.localeCompare(b.time) || a.source.localeCompare(b.source) || (a.environment ?? '').localeCompare(b.environment ?? '');

/** The state a live client held at T: its snapshot, then every message it got whose time is <= T. */
function liveStateAt(messages: SseMessage[], at: string): DashboardState {
  let state: DashboardState | undefined;
  for (const message of messages) {
    const json = message.json as unknown as StreamMessage;
    if (json.type === 'snapshot') state = json.state;
    else if (state && 'time' in json && json.time <= at) state = evolveDashboard(state, json);
  }
  if (!state) throw new Error('the live client got no snapshot');
  return state;
}

const eventPart = (state: DashboardState): Omit<DashboardState, 'metrics'> => omit(state, 'metrics');

describe('GET /api/replay', () => {
  let server: RunningServer;
  let live: SseClient | undefined;
  let viewer: TestSession;
  let stagingOperator: TestSession;
  /** Moments between bursts at which the live client's state is compared with replay snapshots. */
  const moments: string[] = [];
  let windowFrom = '';
  let windowTo = '';

  beforeAll(async () => {
    server = await startServer({ config: CONFIG });
    for (const [username, role] of [
      ['replay-viewer', 'viewer'],
      ['replay-staging', 'staging-operator'],
    ] as const) {
      const created = await postJson(server.baseUrl, '/api/users', { username, role, password: PASSWORD });
      expect(created.status).toBe(201);
    }
    viewer = await login(server.baseUrl, 'replay-viewer', PASSWORD);
    stagingOperator = await login(server.baseUrl, 'replay-staging', PASSWORD);
    live = await SseClient.connect(server.baseUrl, '/api/stream');
    await live.waitFor('snapshot', (messages) => messages.some((m) => m.json.type === 'snapshot'));
    // Let a few metric samples arrive live before the recorded window starts.
    await sleep(1_200);

    windowFrom = new Date().toISOString();
    // Over 100 events (checkpointEvery) in both environments, with moments recorded between bursts.
    for (let round = 0; round < 4; round++) {
      await Promise.all(Array.from({ length: 10 }, (_, i) => pingIn(server, i % 2 === 0 ? 'staging' : 'production')));
      await eventually('the burst to be folded live', async () => {
        const position = await logPosition(server.baseUrl);
        return live!.lastEventId !== undefined && Number(live!.lastEventId) >= position ? true : undefined;
      });
      await sleep(300);
      moments.push(new Date().toISOString());
      await sleep(300);
    }
    windowTo = new Date().toISOString();
    // Everything up to windowTo has reached the live client once a later ping has.
    await pingIn(server, 'staging');
    await eventually('the last ping to arrive live', async () =>
      Number(live!.lastEventId) >= (await logPosition(server.baseUrl)) ? true : undefined,
    );
    await sleep(FLUSH_WAIT_MS);
  }, 90_000);

  afterAll(async () => {
    live?.close();
    await stopServer(server);
  });

  it('at speed=max sends start, the snapshot, exactly the window events in order and its samples, then end', async () => {
    const client = await replay(server, replayPath(windowFrom, windowTo, '&speed=max'));
    const types = client.messages.map((m) => m.json.type);
    expect(types[0]).toBe('replay.start');
    expect(types[1]).toBe('snapshot');
    expect(types[types.length - 1]).toBe('replay.end');
    expect(client.ended).toBe(true);

    const expectedEvents = eventsOf(live!.messages).filter((event) => event.time > windowFrom && event.time <= windowTo);
    expect(expectedEvents.length).toBeGreaterThanOrEqual(160);
    const events = eventsOf(client.messages);
    expect(events.map((event) => event.position)).toEqual(expectedEvents.map((event) => event.position));
    expect(events).toEqual(expectedEvents);
    expect(client.events.map((m) => Number(m.id))).toEqual(expectedEvents.map((event) => event.position));

    const expectedSamples = samplesOf(live!.messages)
      .filter((sample) => sample.time > windowFrom && sample.time <= windowTo)
      .map(asStored)
      .filter((sample): sample is MetricSample => sample !== undefined)
      .sort(byTimeAndSource);
    expect(expectedSamples.length).toBeGreaterThan(0);
    expect([...samplesOf(client.messages)].sort(byTimeAndSource)).toEqual(expectedSamples);

    // Merged by time; at equal times the event comes first.
    const timeline = client.messages.slice(2, -1).map((m) => ({ time: String(m.json.time), event: m.id !== undefined }));
    for (let i = 1; i < timeline.length; i++) {
      expect(timeline[i].time >= timeline[i - 1].time).toBe(true);
      if (timeline[i].time === timeline[i - 1].time && timeline[i].event) expect(timeline[i - 1].event).toBe(true);
    }
    const end = client.messages[client.messages.length - 1].json;
    expect(end).toEqual({ type: 'replay.end', events: expectedEvents.length, samples: expectedSamples.length });
  });

  it('the snapshot at T equals the state a live client held at T (events exactly, metrics as stored)', async () => {
    const db = new Database(join(server.dataDir, 'projections.db'), { readonly: true });
    const stored = db.prepare('SELECT COUNT(*) FROM replay_checkpoints').pluck().get() as number;
    db.close();
    expect(stored).toBeGreaterThan(0);

    for (const at of moments) {
      const liveState = liveStateAt(live!.messages, at);
      const later = new Date(Date.parse(at) + 1).toISOString();
      const client = await replay(server, replayPath(at, later, '&speed=max'));
      const snapshot = client.messages[1].json as unknown as { type: 'snapshot'; position: number; state: DashboardState };
      expect(snapshot.type).toBe('snapshot');
      expect(eventPart(snapshot.state)).toEqual(eventPart(liveState));
      expect(snapshot.position).toBe(liveState.position);

      // Metrics: the latest sample of every source at T, as the store keeps it.
      const expectedMetrics: Record<string, MetricSample> = {};
      for (const [key, sample] of Object.entries(liveState.metrics)) {
        const storedSample = asStored(sample);
        if (storedSample && !sample.error) expectedMetrics[key] = storedSample;
      }
      const replayedMetrics = Object.fromEntries(Object.entries(snapshot.state.metrics).filter(([key]) => key in expectedMetrics));
      expect(replayedMetrics).toEqual(expectedMetrics);
      // And nothing the live client did not have.
      expect(Object.keys(snapshot.state.metrics).filter((key) => !(key in liveState.metrics))).toEqual([]);
      expect(Object.keys(expectedMetrics).length).toBeGreaterThan(0);
    }
  });

  it('at speed=10 the gaps between events shrink ten times (within 10 %)', async () => {
    const from = new Date().toISOString();
    for (let i = 0; i < 6; i++) {
      if (i > 0) await sleep(1_000);
      await pingIn(server, 'staging');
    }
    await sleep(200);
    const to = new Date().toISOString();
    const client = await replay(server, replayPath(from, to, '&speed=10&types=command.accepted'));
    const accepted = client.events;
    expect(accepted).toHaveLength(6);
    const original = accepted.slice(1).map((m, i) => Date.parse(String(m.json.time)) - Date.parse(String(accepted[i].json.time)));
    const replayed = accepted.slice(1).map((m, i) => m.receivedAt - accepted[i].receivedAt);
    for (const gap of original) expect(gap).toBeGreaterThan(900);
    // Over all gaps together: a tenth within 10 %.
    const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum(replayed) - sum(original) / 10)).toBeLessThanOrEqual(sum(original) / 100);
    // The typical gap: the median of replayed/original is a tenth within 10 %. (A single gap
    // can be off by a stall of either process on a loaded machine; the median is not.)
    const ratios = replayed.map((gap, i) => gap / original[i]).sort((a, b) => a - b);
    expect(Math.abs(ratios[Math.floor(ratios.length / 2)] - 0.1)).toBeLessThanOrEqual(0.01);
  });

  it('a viewer without the replay capability gets 403 on every replay route', async () => {
    const headers = bearer(viewer);
    const paths = [replayPath(windowFrom, windowTo), `/api/replay/markers?from=${windowFrom}&to=${windowTo}`, '/api/replay/info'];
    for (const path of paths) expect((await getJson(server.baseUrl, path, headers)).status).toBe(403);
  });

  it('an admin replay of one environment hides nothing of it', async () => {
    const client = await replay(server, replayPath(windowFrom, windowTo, '&speed=max&environment=production'));
    const expected = eventsOf(live!.messages).filter(
      (event) => event.time > windowFrom && event.time <= windowTo && environmentMatches(event.meta.environment, 'production'),
    );
    expect(expected.some((event) => event.meta.environment === 'production')).toBe(true);
    expect(eventsOf(client.messages)).toEqual(expected);
  });

  it('an operator limited to staging sees no production in replay, its snapshot or its markers', async () => {
    const headers = bearer(stagingOperator);
    const client = await replay(server, replayPath(windowFrom, windowTo, '&speed=max'), headers);
    const events = eventsOf(client.messages);
    const expected = eventsOf(live!.messages).filter(
      (event) =>
        event.time > windowFrom && event.time <= windowTo && event.meta.environment !== 'production' && !event.type.startsWith('user.'),
    );
    expect(events).toEqual(expected);
    expect(events.some((event) => event.meta.environment === 'staging')).toBe(true);
    const snapshot = (await replay(server, replayPath(moments[3], windowTo, '&speed=max'), headers)).messages[1].json as unknown as {
      state: DashboardState;
    };
    expect(snapshot.state.commands.length).toBeGreaterThan(0);
    expect(snapshot.state.commands.every((command) => command.environment === 'staging')).toBe(true);
    expect(snapshot.state.recentEvents.every((event) => event.environment !== 'production' && !event.type.startsWith('user.'))).toBe(true);

    const markers = await getJson<{ markers: { environment?: string; kind: string }[] }>(
      server.baseUrl,
      `/api/replay/markers?from=${windowFrom}&to=${windowTo}`,
      headers,
    );
    expect(markers.status).toBe(200);
    expect(markers.body.markers.length).toBeGreaterThan(0);
    expect(markers.body.markers.every((marker) => marker.environment === 'staging')).toBe(true);
    expect((await getJson(server.baseUrl, replayPath(windowFrom, windowTo, '&environment=production'), headers)).status).toBe(403);
  });

  it('markers list the window commands with their labels; info gives the replayable range', async () => {
    const response = await getJson<{ markers: { kind: string; label: string; ref: string; position: number }[] }>(
      server.baseUrl,
      `/api/replay/markers?from=${windowFrom}&to=${windowTo}&environment=staging`,
    );
    expect(response.status).toBe(200);
    const windowEvents = eventsOf(live!.messages).filter((event) => event.time > windowFrom && event.time <= windowTo);
    const expected = windowEvents.filter(
      (event) => ['command.accepted', 'command.completed'].includes(event.type) && event.meta.environment === 'staging',
    );
    expect(response.body.markers.map((marker) => marker.position)).toEqual(expected.map((event) => event.position));
    expect(response.body.markers[0].label).toBe('ping vigil@staging accepted');
    expect((response.body as { truncated?: boolean }).truncated).toBe(false);
    expect(response.body.markers.filter((marker) => marker.label === 'ping vigil@staging completed')).toHaveLength(expected.length / 2);

    const info = await getJson<{ mode: string; from: string; to: string }>(server.baseUrl, '/api/replay/info');
    expect(info.body.mode).toBe('live');
    expect(info.body.from <= windowFrom).toBe(true);
    expect(info.body.to >= windowTo).toBe(true);
  });

  it('closing a replay mid-way frees it: no open replay and no timer left on the server', async () => {
    const from = new Date(Date.now() - 30_000).toISOString();
    const client = await SseClient.connect(server.baseUrl, replayPath(from, new Date().toISOString(), '&speed=1'));
    await client.waitFor('the snapshot', (messages) => messages.some((m) => m.json.type === 'snapshot'));
    // Between samples the replay waits on its one pacing timer.
    await eventually('the replay to wait on its timer', async () => {
      const health = await getJson<{ activeReplays: number; replayTimers: number }>(server.baseUrl, '/api/health');
      return health.body.activeReplays === 1 && health.body.replayTimers === 1 ? true : undefined;
    });
    client.close();
    await eventually('the replay to be released', async () => {
      const health = await getJson<{ activeReplays: number; replayTimers: number }>(server.baseUrl, '/api/health');
      return health.body.activeReplays === 0 && health.body.replayTimers === 0 ? true : undefined;
    });
  });

  it('a replay ends with a closed message when its session signs out', async () => {
    const session = await login(server.baseUrl, 'replay-staging', PASSWORD);
    const from = new Date(Date.now() - 30_000).toISOString();
    const client = await SseClient.connect(server.baseUrl, replayPath(from, new Date().toISOString(), '&speed=1'), bearer(session));
    await client.waitFor('the snapshot', (messages) => messages.some((m) => m.json.type === 'snapshot'));
    expect((await postJson(server.baseUrl, '/api/auth/logout', {}, bearer(session))).status).toBeLessThan(300);
    await client.waitForEnd();
    expect(client.messages.at(-1)?.json).toEqual({ type: 'closed', reason: 'signed out' });
    await eventually('the replay to be released', async () =>
      (await getJson<{ activeReplays: number }>(server.baseUrl, '/api/health')).body.activeReplays === 0 ? true : undefined,
    );
  });

  it('a user holds at most maxStreamsPerUser (5) replays: a sixth ends the oldest, saying why', async () => {
    const headers = bearer(stagingOperator);
    const path = replayPath(new Date(Date.now() - 30_000).toISOString(), new Date().toISOString(), '&speed=1');
    const clients: SseClient[] = [];
    for (let i = 0; i < 6; i++) {
      const client = await SseClient.connect(server.baseUrl, path, headers);
      await client.waitFor('the snapshot', (messages) => messages.some((m) => m.json.type === 'snapshot'));
      clients.push(client);
    }
    await clients[0].waitForEnd();
    expect(clients[0].messages.at(-1)?.json).toEqual({
      type: 'closed',
      reason: 'too many open replays for this user (limit 5): this, the oldest, was closed',
    });
    expect(clients.slice(1).every((client) => !client.ended)).toBe(true);
    for (const client of clients) client.close();
    await eventually('the replays to be released', async () =>
      (await getJson<{ activeReplays: number }>(server.baseUrl, '/api/health')).body.activeReplays === 0 ? true : undefined,
    );
  });

  it('rejects bad queries with field details and writes nothing to the log', async () => {
    const before = await logPosition(server.baseUrl);
    const now = Date.now();
    const iso = (offsetMs: number): string => new Date(now + offsetMs).toISOString();
    const cases: [string, number, string][] = [
      ['/api/replay', 400, 'query.from'],
      [`/api/replay?from=${iso(-1000)}`, 400, 'query.to'],
      [`/api/replay?from=yesterday&to=${iso(0)}`, 400, 'query.from'],
      [replayPath(iso(0), iso(-1000)), 400, 'query.to'],
      [replayPath(iso(-8 * 24 * 3_600_000), iso(0)), 400, 'query.to'],
      [replayPath(iso(-1000), iso(0), '&speed=0'), 400, 'query.speed'],
      [replayPath(iso(-1000), iso(0), '&speed=1001'), 400, 'query.speed'],
      [replayPath(iso(-1000), iso(0), '&speed=fast'), 400, 'query.speed'],
      [replayPath(iso(-1000), iso(0), '&types=not a type'), 400, 'query.types'],
      [`/api/replay/markers?from=${iso(0)}&to=${iso(-1)}`, 400, 'query.to'],
    ];
    for (const [path, status, field] of cases) {
      const response = await getJson<{ details?: { path: string }[] }>(server.baseUrl, path);
      expect({ path, status: response.status }).toEqual({ path, status });
      expect(response.body.details?.map((detail) => detail.path)).toContain(field);
    }
    expect((await getJson(server.baseUrl, replayPath(iso(-1000), iso(0), '&environment=nowhere'))).status).toBe(404);
    expect(await logPosition(server.baseUrl)).toBe(before);
  });
});
