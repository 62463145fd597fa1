import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { clusterSettled, startNodes } from '../support/cluster';
import { openApp, type AppPage } from '../support/browser';
import { finished } from '../support/commands';
import { eventually, logPosition, ping } from '../support/http';
import { startNginx, type TestNginx } from '../support/nginx';
import { pageStreamRecord, recordPageStream, streamGapsAndRepeats } from '../support/page-stream-recorder';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { stopServer, type RunningServer } from '../support/server';
import { signIn } from '../support/sign-in';

/**
 * The dashboard through a load balancer (Debian's nginx, SSE buffering off) in front
 * of two Vigil nodes on one PostgreSQL database: the node the page streams from is
 * killed with SIGKILL; the page shows "reconnecting", resumes on the other node with
 * its last position, and is live again: every event once, none missing.
 * Needs `npm run build` first (dist/api and dist/web), Chromium and nginx.
 */
jest.setTimeout(240_000);

describe('dashboard behind a load balancer when its node dies (browser)', () => {
  let pg: TestPostgres | undefined;
  let nodes: RunningServer[] = [];
  let lb: TestNginx | undefined;
  let app: AppPage | undefined;
  let page: Page;
  /** The upstream (host:port) of each stream response the page got, in order. */
  const streamUpstreams: string[] = [];

  const status = () => page.locator('[data-testid=connection-status]').first();
  const activityRow = (commandId: string) => page.locator(`[data-testid=activity-row][data-command-id="${commandId}"]`);

  beforeAll(async () => {
    pg = await startPostgres();
    nodes = await startNodes(await pg.createDatabase(), ['a', 'b']);
    await clusterSettled(nodes, ['a', 'b']);
    lb = await startNginx(nodes.map((node) => node.port));
    const output = (): string => nodes.map((node) => node.output().slice(-1500)).join('\n----\n');
    app = await openApp({ baseUrl: lb.baseUrl, output }, { width: 1400, height: 900 });
    page = app.page;
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/api/stream') streamUpstreams.push(response.headers()['x-vigil-upstream'] ?? '');
    });
    await recordPageStream(page);
  }, 180_000);

  afterAll(async () => {
    await app?.browser.close();
    await lb?.stop();
    for (const node of nodes) await stopServer(node);
    await pg?.stop();
  });

  it('keeps the dashboard working: reconnecting, then live on the other node, every event once', async () => {
    const admin = nodes[0].admin!;
    await app!.within('admin was not signed in', signIn(page, lb!.baseUrl, admin));
    await page.goto(`${lb!.baseUrl}/`, { waitUntil: 'domcontentloaded' });
    await app!.within(
      'never connected',
      status()
        .filter({ hasText: /^\s*connected\s*$/ })
        .waitFor({ timeout: 20_000 }),
    );
    const before = (await ping(nodes[0].baseUrl)).commandId;
    await app!.within(
      'the first ping never showed',
      activityRow(before).and(page.locator('[data-state=completed]')).waitFor({ timeout: 15_000 }),
    );

    // Kill the node the page streams from.
    const upstream = await eventually('the stream response', () => streamUpstreams.at(-1) ?? undefined);
    const victim = nodes.find((node) => upstream.endsWith(`:${node.port}`));
    if (!victim) throw new Error(`the stream came from ${upstream}, not a node`);
    const survivor = nodes.find((node) => node !== victim)!;
    victim.kill('SIGKILL');
    await victim.exited;
    await app!.within(
      'never showed reconnecting',
      status()
        .filter({ hasText: /^\s*reconnecting\s*$/ })
        .waitFor({ timeout: 15_000 }),
    );

    // Live again, through the other node: new commands show up.
    await app!.within(
      'never connected again',
      status()
        .filter({ hasText: /^\s*connected\s*$/ })
        .waitFor({ timeout: 30_000 }),
    );
    expect(streamUpstreams.at(-1)).toContain(`:${survivor.port}`);
    const after: string[] = [];
    for (let i = 0; i < 3; i++) after.push((await ping(survivor.baseUrl)).commandId);
    for (const commandId of after) {
      expect((await finished(survivor.baseUrl, commandId)).state).toBe('completed');
      await app!.within(
        `ping ${commandId} never showed`,
        activityRow(commandId).and(page.locator('[data-state=completed]')).waitFor({ timeout: 15_000 }),
      );
      expect(await activityRow(commandId).count()).toBe(1);
    }

    // It resumed from its position on the other node: no gap, no repeat.
    const end = await logPosition(survivor.baseUrl);
    const record = await eventually('the page to reach the log head', async () => {
      const current = await pageStreamRecord(page);
      return Math.max(0, ...current.positions) >= end ? current : undefined;
    });
    expect(record.snapshots).toHaveLength(1);
    expect(record.opened.some((url) => /[?&]lastEventId=\d+/.test(url))).toBe(true);
    expect(streamGapsAndRepeats(record.positions, record.snapshots[0])).toEqual({ repeated: [], missing: [] });
  });
});
