import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli';
import { configWith, demoService } from '../support/demo-config';
import { eventually, getJson, postJson } from '../support/http';
import { startReview, stopReview, type ReviewServer } from '../support/review';
import { startServer, type RunningServer } from '../support/server';

/** One environment, whose one service runs in the whole window: the bundle knows what the config knows. */
const CONFIG = configWith({ staging: [demoService({ script: 'worker' })] });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Status and body, without the uptimes (they depend on the clock each server counts to). */
async function answer(baseUrl: string, path: string): Promise<{ status: number; body: unknown }> {
  const { status, body } = await getJson(baseUrl, path);
  const withoutUptimes = JSON.parse(JSON.stringify(body), (key, value: unknown) => (key === 'uptimeS' ? undefined : value)) as unknown;
  return { status, body: withoutUptimes };
}

/**
 * `vigil review` mounts the live server's own controllers over the bundle, so the
 * two answer alike by construction, refusals included: the review server's former
 * routes answered some of these differently (an unknown environment, an unknown
 * query key, an unknown path) because they were written a second time.
 */
describe('the review server answers as the live server does (the same controllers)', () => {
  let server: RunningServer;
  let review: ReviewServer | undefined;
  let work: string;
  let from: string;
  let to: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vigil-parity-'));
    server = await startServer({ config: CONFIG, supervisor: true });
    await eventually(
      'the worker to run',
      async () => ((await getJson<{ status: string }[]>(server.baseUrl, '/api/services')).body[0]?.status === 'running' ? true : undefined),
      20_000,
    );
    from = new Date().toISOString();
    for (let i = 0; i < 3; i++) {
      await postJson(server.baseUrl, '/api/commands', { type: 'ping', target: 'vigil', environment: 'staging', params: {} });
    }
    await sleep(300);
    to = new Date().toISOString();
    await sleep(1_500); // the time-series store flushes once a second
    const exported = await runCli(['export', '--from', from, '--to', to], server.dataDir, {
      env: { VIGIL_CONFIG: join(server.dataDir, 'vigil.config.yaml') },
    });
    expect(exported.status).toBe(0);
    const file = join(work, 'parity.ndjson');
    writeFileSync(file, exported.stdout);
    review = await startReview(file, { VIGIL_WEB_ROOT: join(work, 'no-web') });
  }, 60_000);

  afterAll(async () => {
    await stopReview(review);
    await server.stop();
    server.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it('gives the same status and body for the same request, refusals included', async () => {
    const window = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const paths = [
      '/api/environments',
      '/api/services',
      '/api/services?environment=staging',
      '/api/services?environment=nowhere',
      '/api/services?bogus=1',
      '/api/alert-rules',
      `/api/alert-rules?at=${encodeURIComponent(to)}`,
      '/api/alert-rules?at=soon',
      '/api/silences',
      `/api/replay/markers?${window}`,
      `/api/replay/markers?${window}&environment=nowhere`,
      '/api/replay/markers?from=yesterday&to=now',
      `/api/replay?${window}&environment=nowhere`,
      '/api/nothing',
    ];
    for (const path of paths) {
      const live = await answer(server.baseUrl, path);
      expect({ path, ...(await answer(review!.baseUrl, path)) }).toEqual({ path, ...live });
    }
    // Each kind of answer is in the list: a listing, a 400 with field details, a 404.
    expect((await answer(server.baseUrl, '/api/services')).body).toEqual([expect.objectContaining({ service: 'worker' })]);
    expect((await answer(server.baseUrl, '/api/services?bogus=1')).status).toBe(400);
    expect((await answer(server.baseUrl, '/api/services?environment=nowhere')).status).toBe(404);
  });

  it('health and the session come from the same controllers: the same fields, filled from the bundle', async () => {
    // `node` and `cluster` describe the running cluster's nodes: a live server has them, a bundle has none.
    const LIVE_ONLY = new Set(['node', 'cluster']);
    for (const path of ['/api/health', '/api/auth/me']) {
      const live = await getJson<Record<string, unknown>>(server.baseUrl, path);
      const reviewed = await getJson<Record<string, unknown>>(review!.baseUrl, path);
      expect({ path, status: reviewed.status, fields: Object.keys(reviewed.body).sort() }).toEqual({
        path,
        status: live.status,
        fields: Object.keys(live.body)
          .filter((field) => !LIVE_ONLY.has(field))
          .sort(),
      });
    }
    expect((await getJson<{ mode: string }>(server.baseUrl, '/api/health')).body.mode).toBe('live');
    expect((await getJson<{ mode: string }>(review!.baseUrl, '/api/health')).body.mode).toBe('review');
  });
});
