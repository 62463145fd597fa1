import { expect } from '@jest/globals';
import type {
  AlertRule,
  AlertRulesResponse,
  EnvironmentsResponse,
  IncidentBundleLine,
  ReplayInfo,
  ReplayMarkersResponse,
  SilenceView,
} from '@vigil/shared';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli';
import { configWith, demoService } from '../support/demo-config';
import { finished, submit } from '../support/commands';
import { eventually, getJson, logPosition, postJson, send } from '../support/http';
import { omit } from '../support/objects';
import { SseClient, type SseMessage } from '../support/sse-client';
import { startReview, stopReview, type ReviewServer } from '../support/review';
import { startServer, stopServer, type RunningServer } from '../support/server';

/** A threshold rule no sample reaches: rule changes in the log, no alerts. */
function quietRule(name: string, metric: string, threshold = 1_000_000): AlertRule {
  return {
    name,
    kind: 'threshold',
    metric,
    source: '*',
    environment: '*',
    comparator: '>',
    threshold,
    forSeconds: 0,
    severity: 'warning',
    labels: {},
    message: '{{rule}}: {{value}}',
  };
}
const CONFIGURED_RULES = [quietRule('cpu-high', 'cpu_percent'), quietRule('memory-high', 'memory_percent')];

/**
 * A supervised worker in staging (no ports): service events before and inside the
 * window. Alert rules changed over the API before, inside and after the window, so
 * the rules at `to` are neither the configured ones nor the live ones at the end.
 */
const CONFIG = configWith(
  { production: [], staging: [demoService({ script: 'worker' })] },
  { replay: { checkpointEvery: 100 }, alerts: { rules: CONFIGURED_RULES } },
);

interface Service {
  environment: string;
  service: string;
  status: string;
  instances: { uptimeS: number | null }[];
}

/** GET /api/services without the uptimes (they depend on the clock that asks). */
async function servicesOf(baseUrl: string): Promise<unknown[]> {
  const response = await getJson<Service[]>(baseUrl, '/api/services');
  expect(response.status).toBe(200);
  return response.body.map((service) => ({
    ...service,
    instances: service.instances.map((instance) => omit(instance, 'uptimeS')),
  }));
}
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** The time-series store flushes once a second: samples up to T are readable after this. */
const FLUSH_WAIT_MS = 1_500;

/** A GET with the path sent exactly as given (no URL normalisation of dot segments). */
function rawGet(baseUrl: string, path: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    request({ hostname, port, path, method: 'GET' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
    })
      .on('error', reject)
      .end();
  });
}

/** A whole replay at speed=max. */
async function replay(baseUrl: string, from: string, to: string): Promise<SseMessage[]> {
  const client = await SseClient.connect(baseUrl, `/api/replay?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&speed=max`);
  expect(client.status).toBe(200);
  await client.waitFor('replay.end', (messages) => messages.some((m) => m.json.type === 'replay.end'), 20_000);
  await client.waitForEnd();
  return client.messages;
}

/** What a replay shows, without the one field that says where it came from. */
function timeline(messages: SseMessage[]): unknown[] {
  return messages.map((m) => {
    const json = m.json.type === 'replay.start' ? { ...m.json, source: undefined } : m.json;
    return { id: m.id, json };
  });
}

describe('incident bundles: vigil export and vigil review', () => {
  let server: RunningServer;
  let work: string;
  let bundleFile: string;
  let from: string;
  let to: string;
  let review: ReviewServer | undefined;
  /** GET /api/alert-rules of the live server at `from` and at `to`. */
  let rulesAtFrom: AlertRulesResponse;
  let rulesAtTo: AlertRulesResponse;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vigil-bundle-'));
    server = await startServer({ config: CONFIG, supervisor: true });
    await eventually(
      'the worker to run',
      async () => ((await getJson<Service[]>(server.baseUrl, '/api/services')).body[0]?.status === 'running' ? true : undefined),
      20_000,
    );
    await sleep(1_200); // samples before the window, for the snapshot's metrics
    expect((await send(server.baseUrl, 'DELETE', '/api/alert-rules/memory-high')).status).toBe(200);
    from = new Date().toISOString();
    rulesAtFrom = (await getJson<AlertRulesResponse>(server.baseUrl, '/api/alert-rules')).body;
    expect(
      (
        await send(server.baseUrl, 'PUT', '/api/alert-rules/cpu-high', {
          body: JSON.stringify(quietRule('cpu-high', 'cpu_percent', 2_000_000)),
        })
      ).status,
    ).toBe(200);
    expect((await postJson(server.baseUrl, '/api/alert-rules', quietRule('disk-full', 'disk_percent'))).status).toBe(201);
    const silence = { matchers: { rule: 'cpu-high' }, until: new Date(Date.now() + 3_600_000).toISOString(), reason: 'bundle maintenance' };
    expect((await postJson(server.baseUrl, '/api/silences', silence)).status).toBe(201);
    const restart = await submit(server.baseUrl, { type: 'restart', target: 'worker', environment: 'staging', params: {} });
    expect((await finished(server.baseUrl, restart.commandId)).state).toBe('completed');
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          postJson(server.baseUrl, '/api/commands', {
            type: 'ping',
            target: 'vigil',
            environment: i % 2 ? 'production' : 'staging',
            params: {},
          }),
        ),
      );
      await sleep(400);
    }
    const user = await postJson(server.baseUrl, '/api/users', {
      username: 'bundle-user',
      role: 'viewer',
      password: 'bundle-user-password',
    });
    expect(user.status).toBe(201);
    await eventually('the audit of every ping', async () =>
      (await getJson<{ items: unknown[] }>(server.baseUrl, '/api/audit?limit=100')).body.items.length >= 36 ? true : undefined,
    );
    rulesAtTo = (await getJson<AlertRulesResponse>(server.baseUrl, '/api/alert-rules')).body;
    await sleep(300);
    to = new Date().toISOString();
    await sleep(FLUSH_WAIT_MS);
    expect((await postJson(server.baseUrl, '/api/alert-rules', quietRule('late-rule', 'late_metric'))).status).toBe(201);
    expect(await logPosition(server.baseUrl)).toBeGreaterThan(100);
  }, 90_000);

  afterAll(async () => {
    await stopReview(review);
    await stopServer(server);
    rmSync(work, { recursive: true, force: true });
  });

  it('export writes the header with counts, the snapshot at from, then events and samples by time (the server running)', async () => {
    const result = await runCli(['export', '--from', from, '--to', to], server.dataDir, {
      env: { VIGIL_CONFIG: join(server.dataDir, 'vigil.config.yaml') },
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^exported \d+ events and \d+ samples/);
    bundleFile = join(work, 'incident.ndjson');
    writeFileSync(bundleFile, result.stdout);

    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as IncidentBundleLine);
    const [header, snapshot, rules, ...items] = lines;
    expect(header).toMatchObject({ kind: 'header', format: 'vigil-incident', version: 1, from, to });
    expect(snapshot.kind).toBe('snapshot');
    // The rules in force at `to`: the configured ones with the changes before and inside the window, not the later one.
    expect(rules).toEqual({ kind: 'alert-rules', rules: rulesAtTo.rules, timeline: expect.any(Array) });
    // ...and the rules at `from`, then after each of the window's two changes.
    const timeline = (rules as Extract<IncidentBundleLine, { kind: 'alert-rules' }>).timeline!;
    expect(timeline.map((moment) => moment.rules)).toEqual([rulesAtFrom.rules, expect.any(Array), rulesAtTo.rules]);
    expect(timeline[0].at).toBe(from);
    expect(timeline.slice(1).every((moment) => moment.at > from && moment.at <= to)).toBe(true);
    expect(timeline[1].rules.map((rule) => rule.name)).toEqual(['cpu-high']);
    expect(rulesAtTo.rules.map((rule) => [rule.name, rule.kind === 'threshold' && rule.threshold])).toEqual([
      ['cpu-high', 2_000_000],
      ['disk-full', 1_000_000],
    ]);
    expect((await getJson<AlertRulesResponse>(server.baseUrl, '/api/alert-rules')).body.rules.map((rule) => rule.name)).toContain(
      'late-rule',
    );
    const events = items.filter((line) => line.kind === 'event');
    const samples = items.filter((line) => line.kind === 'metrics');
    expect(header).toMatchObject({ events: events.length, samples: samples.length });
    expect(events.length).toBeGreaterThanOrEqual(36 * 3);
    expect(samples.length).toBeGreaterThan(0);
    expect(items.length).toBe(events.length + samples.length);
    const times = items.map((line) => (line.kind === 'event' ? line.event.time : line.kind === 'metrics' ? line.sample.time : ''));
    expect(times).toEqual([...times].sort());
    // The bundle leaves the server: no password hash goes with it.
    expect(result.stdout).toContain('"user.created"');
    expect(result.stdout).not.toContain('passwordHash');
  });

  it('review shows the same timeline as GET /api/replay of the live server for that window', async () => {
    const live = await replay(server.baseUrl, from, to);
    review = await startReview(bundleFile, { VIGIL_WEB_ROOT: join(work, 'no-web') });
    const reviewed = await replay(review.baseUrl, from, to);
    expect(live[0].json).toMatchObject({ type: 'replay.start', source: 'log' });
    expect(reviewed[0].json).toMatchObject({ type: 'replay.start', source: 'bundle' });
    expect(live.filter((m) => m.id !== undefined).length).toBeGreaterThanOrEqual(36 * 3);
    expect(timeline(reviewed)).toEqual(timeline(live));

    // A later start inside the window: the same snapshot and the same rest.
    const middle = new Date((Date.parse(from) + Date.parse(to)) / 2).toISOString();
    expect(timeline(await replay(review.baseUrl, middle, to))).toEqual(timeline(await replay(server.baseUrl, middle, to)));

    const markersPath = `/api/replay/markers?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const liveMarkers = await getJson<ReplayMarkersResponse>(server.baseUrl, markersPath);
    const reviewMarkers = await getJson<ReplayMarkersResponse>(review.baseUrl, markersPath);
    expect(reviewMarkers.status).toBe(200);
    expect(reviewMarkers.body.markers.length).toBeGreaterThan(0);
    expect(reviewMarkers.body).toEqual(liveMarkers.body);
    expect(reviewMarkers.body.markers.some((marker) => marker.label === 'restart worker@staging completed')).toBe(true);

    // The services as they stood at the window's end (the layout learns the environments from them).
    const services = await servicesOf(review.baseUrl);
    expect(services).toEqual(await servicesOf(server.baseUrl));
    expect(services).toEqual([expect.objectContaining({ environment: 'staging', service: 'worker', status: 'running' })]);
    // The matcher silences made in the window, as the live server lists them.
    const reviewSilences = await getJson<{ silences: SilenceView[] }>(review.baseUrl, '/api/silences');
    const liveSilences = await getJson<{ silences: SilenceView[] }>(server.baseUrl, '/api/silences');
    expect(reviewSilences.status).toBe(200);
    expect(reviewSilences.body.silences).toEqual(liveSilences.body.silences.filter((s) => s.createdAt > from && s.createdAt <= to));
    expect(reviewSilences.body.silences).toEqual([
      expect.objectContaining({ matchers: { rule: 'cpu-high' }, reason: 'bundle maintenance', active: true }),
    ]);
    // The header's switcher: the environments the bundle shows anything of.
    const environments = await getJson<EnvironmentsResponse>(review.baseUrl, '/api/environments');
    expect(environments.status).toBe(200);
    expect(environments.body.environments.map((env) => env.name)).toContain('staging');

    // The metric cards' levels: the rules at `to`, in the live API's response shape.
    const reviewRules = await getJson<AlertRulesResponse>(review.baseUrl, '/api/alert-rules');
    expect(reviewRules.status).toBe(200);
    expect(reviewRules.body).toEqual(rulesAtTo);
  });

  it('judges each moment by its own rules: ?at= on the review server answers as the live server does', async () => {
    review ??= await startReview(bundleFile, { VIGIL_WEB_ROOT: join(work, 'no-web') });
    const bundleLines = readFileSync(bundleFile, 'utf8').split('\n', 3);
    const { timeline } = JSON.parse(bundleLines[2]) as Extract<IncidentBundleLine, { kind: 'alert-rules' }>;
    const justBefore = (time: string) => new Date(Date.parse(time) - 1).toISOString();
    const moments = [from, justBefore(timeline![1].at), timeline![1].at, justBefore(timeline![2].at), timeline![2].at, to];
    const rulesAt = async (baseUrl: string, at: string) =>
      (await getJson<AlertRulesResponse>(baseUrl, `/api/alert-rules?at=${encodeURIComponent(at)}`)).body;
    expect(await rulesAt(server.baseUrl, from)).toEqual(rulesAtFrom);
    expect(await rulesAt(server.baseUrl, to)).toEqual(rulesAtTo);
    for (const at of moments)
      expect({ at, rules: await rulesAt(review.baseUrl, at) }).toEqual({ at, rules: await rulesAt(server.baseUrl, at) });
    // Three different sets over the window: the changes really are told apart.
    expect(new Set(await Promise.all(moments.map(async (at) => JSON.stringify(await rulesAt(review!.baseUrl, at))))).size).toBe(3);

    for (const baseUrl of [server.baseUrl, review.baseUrl]) {
      const bad = await getJson<{ message: string; details: { path: string }[] }>(baseUrl, '/api/alert-rules?at=yesterday');
      expect(bad.status).toBe(400);
      expect(bad.body.details.map((detail) => detail.path)).toEqual(['query.at']);
    }
  });

  it('review answers info, a reviewer session and health; nothing else, and nothing but GET', async () => {
    review ??= await startReview(bundleFile, { VIGIL_WEB_ROOT: join(work, 'no-web') });
    const header = JSON.parse(readFileSync(bundleFile, 'utf8').split('\n')[0]) as { events: number; samples: number; createdAt: string };
    const info = await getJson<ReplayInfo>(review.baseUrl, '/api/replay/info');
    expect(info.body).toEqual({
      mode: 'review',
      from,
      to,
      bundle: { file: 'incident.ndjson', createdAt: header.createdAt, events: header.events, samples: header.samples },
    });
    const me = await getJson<{ user: unknown; csrfToken: string; expiresAt: string }>(review.baseUrl, '/api/auth/me');
    expect(me.body).toMatchObject({
      user: {
        id: 'review',
        username: 'reviewer',
        role: 'reviewer',
        grants: { environments: ['*'], commands: [], capabilities: ['replay'] },
      },
      csrfToken: '',
    });
    expect(Date.parse(me.body.expiresAt)).toBeGreaterThan(Date.now());
    expect((await getJson<{ status: string }>(review.baseUrl, '/api/health')).body.status).toBe('ok');

    const unknown = await getJson(review.baseUrl, '/api/alerts');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    const write = await send(review.baseUrl, 'POST', '/api/commands', {
      body: JSON.stringify({ type: 'ping' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(write.status).toBe(405);
    expect(write.headers.allow).toBe('GET');
    expect(JSON.parse(write.text)).toMatchObject({ statusCode: 405, error: 'Method Not Allowed' });
    const bad = await getJson<{ details: { path: string }[] }>(review.baseUrl, '/api/replay?from=yesterday&to=now');
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail) => detail.path)).toEqual(expect.arrayContaining(['query.from', 'query.to']));
    expect(unknown.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(await stopReview(review)).toBe(0);
    review = undefined;
  });

  it('review serves the web app with the SPA fallback and never a file outside it', async () => {
    const webRoot = join(work, 'web');
    rmSync(webRoot, { recursive: true, force: true });
    writeFileSync(join(work, 'secret.txt'), 'not for the browser');
    mkdirSync(webRoot);
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>vigil</title>');
    writeFileSync(join(webRoot, 'main.js'), 'console.log(1);');
    review = await startReview(bundleFile, { VIGIL_WEB_ROOT: webRoot });
    const page = await send(review.baseUrl, 'GET', '/replay', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>vigil</title>');
    expect(page.headers['cache-control']).toBe('no-cache');
    const script = await send(review.baseUrl, 'GET', '/main.js');
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.text).toBe('console.log(1);');
    for (const path of ['/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..%2F..%2Fsecret.txt']) {
      const escape = await rawGet(review.baseUrl, path);
      expect(escape.status).toBe(404);
      expect(escape.text).not.toContain('not for the browser');
    }
    expect((await send(review.baseUrl, 'GET', '/api/nothing', { headers: { accept: 'text/html' } })).status).toBe(404);
    expect(await stopReview(review)).toBe(0);
    review = undefined;
  });

  it('a bundle written before export carried the alert rules is still reviewed, with no rules', async () => {
    const lines = readFileSync(bundleFile, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[2])).toMatchObject({ kind: 'alert-rules' });
    const older = join(work, 'older.ndjson');
    writeFileSync(older, [...lines.slice(0, 2), ...lines.slice(3)].join('\n') + '\n');
    review = await startReview(older, { VIGIL_WEB_ROOT: join(work, 'no-web') });
    const rules = await getJson<AlertRulesResponse>(review.baseUrl, '/api/alert-rules');
    expect(rules.status).toBe(200);
    expect(rules.body).toEqual({ rules: [] });
    expect(timeline(await replay(review.baseUrl, from, to))).toEqual(timeline(await replay(server.baseUrl, from, to)));
    expect(await stopReview(review)).toBe(0);
    review = undefined;
  });

  it('a malformed bundle is refused with the line that is wrong; bad export arguments are usage errors', async () => {
    const lines = readFileSync(bundleFile, 'utf8').trimEnd().split('\n');
    const broken = join(work, 'broken.ndjson');
    writeFileSync(broken, [...lines.slice(0, 4), '{"kind":"event","event":{"position":"x"}}', ...lines.slice(5)].join('\n'));
    const result = await runCli(['review', broken, '--port', '0'], work);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/broken\.ndjson line 5: event\.position/);
    const truncated = join(work, 'truncated.ndjson');
    writeFileSync(truncated, lines.slice(0, -1).join('\n'));
    expect((await runCli(['review', truncated, '--port', '0'], work)).stderr).toMatch(
      /the header says \d+ events and \d+ samples, the file holds/,
    );

    const config = { env: { VIGIL_CONFIG: join(server.dataDir, 'vigil.config.yaml') } };
    const backwards = await runCli(['export', '--from', to, '--to', from], server.dataDir, config);
    expect(backwards.status).toBe(2);
    expect(backwards.stderr).toMatch(/--from .* must be before --to/);
    expect(backwards.stdout).toBe('');
    expect((await runCli(['export', '--from', '-30m', '--to', 'now', '--environment', 'nowhere'], server.dataDir, config)).stderr).toMatch(
      /unknown environment "nowhere"/,
    );
    expect((await runCli(['export', '--from', 'yesterday', '--to', 'now'], server.dataDir, config)).status).toBe(2);
  });
});
