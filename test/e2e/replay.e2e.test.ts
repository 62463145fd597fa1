import { jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { closeAppAndServer } from '../support/app-session';
import { openApp, type AppPage, type PageElement } from '../support/browser';
import { runCli } from '../support/cli';
import { run } from '../support/commands';
import { configWith, demoLoad, demoLoadRule } from '../support/demo-config';
import { eventually, getJson } from '../support/http';
import { demoProcessesOnPorts } from '../support/processes';
import { startReview, stopReview, type ReviewServer } from '../support/review';
import { TEST_ADMIN_PASSWORD, startServer, type RunningServer } from '../support/server';
import { signIn } from '../support/sign-in';

/**
 * Browser test of the replay page: a real scenario (demo load raising an alert from a
 * low-threshold rule, a restart, a deploy) on a real server, then the page replays
 * that window at 100×: the alert and the commands appear in log order under the
 * REPLAY banner with nothing enabled in the replayed dashboard, and seeking to a
 * marker shows the state at that moment. `vigil review` of the exported window then
 * shows the same timeline and markers.
 * Needs `npm run build` first (dist/api and dist/web) and Chromium.
 */
jest.setTimeout(180_000);

const PORTS = { from: 22201, to: 22202 };
const WEB_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'dist', 'web', 'browser');
const CONFIG = configWith(
  { staging: demoLoad(PORTS, { deploy: true }) },
  { alerts: { checkIntervalSeconds: 1, rules: [demoLoadRule('replay-load', { forSeconds: 1 })] } },
);

interface ServiceBody {
  service: string;
  status: string;
}

/** A feed item as the page's MutationObserver saw it appear; `batch` counts observer callbacks (renders). */
interface Seen {
  type: string;
  position: number;
  stream: string;
  batch: number;
}

/**
 * Page script (plain JS: the tests compile without DOM types): records, from the first
 * paint on, every replayed event row the page adds and in which render it came.
 */
const RECORD_FEED = `
  window.__replaySeen = [];
  let batch = 0;
  new MutationObserver((records) => {
    batch += 1;
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof HTMLElement)) continue;
        const rows = node.matches('[data-testid=event-row]') ? [node] : [...node.querySelectorAll('[data-testid=event-row]')];
        for (const row of rows) {
          window.__replaySeen.push({ type: row.dataset.type, position: Number(row.dataset.position), stream: row.dataset.stream, batch });
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });
`;

/** Each event row the page showed, once, at its first appearance, in the order they appeared. */
async function firstSeen(page: Page): Promise<Seen[]> {
  const seen = await page.evaluate<Seen[]>('window.__replaySeen');
  const first = new Map<number, Seen>();
  for (const item of seen) if (!first.has(item.position)) first.set(item.position, item);
  return [...first.values()];
}

/** No event was shown in an earlier render than one before it in the log. */
function expectShownInLogOrder(items: Seen[]): void {
  const byPosition = [...items].sort((a, b) => a.position - b.position);
  expect(byPosition.map((item) => item.batch)).toEqual(byPosition.map((item) => item.batch).sort((a, b) => a - b));
}

/** The scrubber's markers as the page lists them. */
function markersOf(page: Page): Promise<{ kind: string | null; time: string | null; ref: string | null; label: string }[]> {
  return page.locator('[data-testid=replay-marker]').evaluateAll((nodes: PageElement[]) =>
    nodes.map((node) => ({
      kind: node.getAttribute('data-kind'),
      time: node.getAttribute('data-time'),
      ref: node.getAttribute('data-ref'),
      label: node.textContent?.trim() ?? '',
    })),
  );
}

describe('replay page (browser)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let within: AppPage['within'];
  let from = '';
  let to = '';
  let restartId = '';
  let deployId = '';
  /** What the live server's replay showed, for the review server to match. */
  let liveSeen: Seen[] = [];
  let liveMarkers: Awaited<ReturnType<typeof markersOf>> = [];
  let review: ReviewServer | undefined;
  const work = mkdtempSync(join(tmpdir(), 'vigil-replay-e2e-'));

  beforeAll(async () => {
    // The window opens before the server starts, so it holds the whole scenario.
    from = new Date().toISOString();
    server = await startServer({ config: CONFIG, supervisor: true });
    await eventually(
      'web-server and traffic to run',
      async () => {
        const services = (await getJson<ServiceBody[]>(server!.baseUrl, '/api/services?environment=staging')).body;
        const running = services.filter((s) => s.status === 'running').map((s) => s.service);
        return running.includes('web-server') && running.includes('traffic') ? true : undefined;
      },
      30_000,
    );

    // The scenario: the load raises the alert, then a restart and a deploy.
    await eventually(
      'the replay-load alert to fire',
      async () => {
        const { body } = await getJson<{ alerts: unknown[] }>(server!.baseUrl, '/api/alerts?rule=replay-load');
        return body.alerts.length > 0 ? true : undefined;
      },
      30_000,
    );
    restartId = (await run(server.baseUrl, { type: 'restart', target: 'web-server', environment: 'staging' })).commandId;
    deployId = (
      await run(server.baseUrl, { type: 'deploy', target: 'web-server', environment: 'staging', params: { version: '2.0.0' } }, 60_000)
    ).commandId;
    to = new Date().toISOString();

    ({ browser, page, within } = await openApp(server, { width: 1400, height: 900 }));
    await page.addInitScript({ content: RECORD_FEED });
  }, 150_000);

  afterAll(async () => {
    expect(await stopReview(review)).toBe(review ? 0 : null);
    rmSync(work, { recursive: true, force: true });
    await closeAppAndServer(browser, server);
    expect(demoProcessesOnPorts(PORTS.from, PORTS.to)).toEqual([]);
  }, 30_000);

  it('signs in as admin', async () => {
    await within(
      'sign-in did not leave the login page',
      signIn(page, server!.baseUrl, { username: 'admin', password: TEST_ADMIN_PASSWORD }),
    );
  });

  it('replays the window at 100×: the alert and the commands appear in log order under the REPLAY banner', async () => {
    await page.goto(`${server!.baseUrl}/replay?from=${from}&to=${to}&speed=100`, { waitUntil: 'domcontentloaded' });
    await within('the replay never ended', page.locator('[data-testid=replay-state]', { hasText: 'ended' }).waitFor({ timeout: 60_000 }));

    expect((await page.locator('[data-testid=replay-banner-label]').textContent())?.trim()).toBe('REPLAY');
    // The window starts at the log's first event at the earliest (the server started after `from`).
    expect(Date.parse((await page.locator('[data-testid=replay-window]').getAttribute('data-from')) ?? '')).toBeGreaterThanOrEqual(
      Date.parse(from),
    );
    expect(await page.locator('[data-testid=replay-window]').getAttribute('data-to')).toBe(to);
    expect((await page.locator('[data-testid=replay-speed]').textContent())?.trim()).toBe('Speed 100×');
    expect(await page.locator('[data-testid=replay-clock]').getAttribute('datetime')).toBe(to);
    expect(await page.locator('[data-testid=replay-dashboard]').count()).toBe(1);
    // No action can be taken on the past: disclosure toggles (aria-expanded) only show more of it.
    const enabled = await page
      .locator('[data-testid=replay-dashboard] :is(button, input, select, textarea):enabled:not([aria-expanded])')
      .evaluateAll((nodes: PageElement[]) =>
        nodes.map((node) => `${node.tagName} ${node.getAttribute('data-testid') ?? ''} ${node.textContent?.trim() ?? ''}`),
      );
    expect(enabled).toEqual([]);

    liveSeen = await firstSeen(page);
    const key = (type: string, commandId?: string) =>
      liveSeen.find((item) => item.type === type && (commandId === undefined || item.stream === `command-${commandId}`));
    const milestones = [
      key('alert.raised'),
      key('command.accepted', restartId),
      key('command.completed', restartId),
      key('command.accepted', deployId),
      key('service.deployed'),
      key('command.completed', deployId),
    ];
    expect(milestones.every((item) => item !== undefined)).toBe(true);
    const played = milestones as Seen[];
    // Log order is the alert first, then the restart, then the deploy...
    expect(played.map((item) => item.position)).toEqual([...played.map((item) => item.position)].sort((a, b) => a - b));
    // ...and the page never showed one of them before an earlier one. (How many renders the
    // 100× replay took depends on the machine's load, so it is not asserted.)
    expectShownInLogOrder(played);
  });

  it('lists the alert, the restart and the deploy as markers; seeking to the restart shows the state at that moment', async () => {
    const markers = page.locator('[data-testid=replay-marker]');
    await within('no markers', markers.first().waitFor({ timeout: 10_000 }));
    liveMarkers = await markersOf(page);
    expect(liveMarkers.map((marker) => marker.kind)).toEqual(expect.arrayContaining(['alert', 'command', 'deploy']));

    const restart = page.locator(`[data-testid=replay-marker][data-ref="${restartId}"]`).first();
    const markerTime = await restart.getAttribute('data-time');
    await restart.click();
    await within('the seek never settled', page.locator('[data-testid=replay-state]', { hasText: 'paused' }).waitFor({ timeout: 10_000 }));
    expect(await page.locator('[data-testid=replay-clock]').getAttribute('datetime')).toBe(markerTime);

    const feed = page.locator('[data-testid=event-row]');
    const rows = await feed.evaluateAll((nodes: PageElement[]) =>
      nodes.map((node) => ({ type: node.getAttribute('data-type'), stream: node.getAttribute('data-stream') })),
    );
    // The restart had been accepted but had not finished, and the deploy had not happened yet.
    expect(rows).toContainEqual({ type: 'command.accepted', stream: `command-${restartId}` });
    expect(rows).not.toContainEqual({ type: 'command.completed', stream: `command-${restartId}` });
    expect(rows.some((row) => row.stream === `command-${deployId}` || row.type === 'service.deployed')).toBe(false);
    expect(rows.some((row) => row.type === 'alert.raised')).toBe(true);
  });

  it('"Replay around this alert" in the live alerts panel opens the replay of the 10 minutes around it', async () => {
    await page.goto(`${server!.baseUrl}/`, { waitUntil: 'domcontentloaded' });
    const open = page.locator('[data-testid=alert-open]', { hasText: 'replay-load' }).first();
    await within('no replay-load alert in the panel', open.waitFor({ timeout: 15_000 }));
    await open.click();
    const link = page.locator('[data-testid=alert-replay-link]').first();
    await within('no "Replay around this alert" link', link.waitFor({ timeout: 10_000 }));
    const asked = new URL((await link.getAttribute('href'))!, server!.baseUrl).searchParams;
    await link.click();
    await within(
      'not on /replay',
      page.waitForURL((url) => url.pathname === '/replay', { timeout: 10_000 }),
    );
    await within(
      'the replay around the alert never played',
      page.locator('[data-testid=replay-state]', { hasText: /playing|ended/ }).waitFor({ timeout: 15_000 }),
    );
    expect((await page.locator('[data-testid=replay-banner-label]').textContent())?.trim()).toBe('REPLAY');
    // 10 minutes either side, cut to what exists: the log's start and now (the alert still fires).
    const shown = page.locator('[data-testid=replay-window]');
    expect(Date.parse((await shown.getAttribute('data-from'))!)).toBeGreaterThanOrEqual(Date.parse(asked.get('from')!));
    expect(Date.parse((await shown.getAttribute('data-to'))!)).toBeLessThanOrEqual(Math.min(Date.parse(asked.get('to')!), Date.now()));
    await within('no alert marker', page.locator('[data-testid=replay-marker][data-kind=alert]').first().waitFor({ timeout: 10_000 }));
  });

  it('vigil review of the window exported shows the same timeline and markers, with no live stream', async () => {
    const exported = await runCli(['export', '--from', from, '--to', to], server!.dataDir, {
      env: { VIGIL_CONFIG: join(server!.dataDir, 'vigil.config.yaml') },
    });
    expect(exported.status).toBe(0);
    const file = join(work, 'incident-replay.ndjson');
    writeFileSync(file, exported.stdout);
    review = await startReview(file, { VIGIL_WEB_ROOT: WEB_ROOT });

    const reviewPage = await (await browser!.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await reviewPage.addInitScript({ content: RECORD_FEED });
    const requested: string[] = [];
    reviewPage.on('request', (request) => requested.push(new URL(request.url()).pathname));
    // No sign-in on a review server; the dashboard address leads to the bundle's replay.
    await reviewPage.goto(`${review.baseUrl}/`, { waitUntil: 'domcontentloaded' });
    await within(
      'not sent to /replay',
      reviewPage.waitForURL((url) => url.pathname === '/replay', { timeout: 15_000 }),
    );
    await within(
      'the review never ended',
      reviewPage.locator('[data-testid=replay-state]', { hasText: 'ended' }).waitFor({ timeout: 60_000 }),
    );

    expect((await reviewPage.locator('[data-testid=replay-banner-label]').textContent())?.trim()).toBe('REVIEW · incident-replay.ndjson');
    expect(await reviewPage.locator('[data-testid=replay-window]').getAttribute('data-to')).toBe(to);
    // The same events (renders batch them differently at another speed), and in log order again.
    const reviewSeen = await firstSeen(reviewPage);
    const strip = (items: Seen[]) =>
      items.map(({ type, position, stream }) => ({ type, position, stream })).sort((a, b) => a.position - b.position);
    expect(strip(reviewSeen)).toEqual(strip(liveSeen));
    expectShownInLogOrder(reviewSeen);
    await within('no markers in review', reviewPage.locator('[data-testid=replay-marker]').first().waitFor({ timeout: 10_000 }));
    expect(await markersOf(reviewPage)).toEqual(liveMarkers);
    expect(requested.filter((path) => path === '/api/stream')).toEqual([]);
    // The bundle carries the alert rules: the cards are judged, not "rules not loaded".
    expect(requested).toContain('/api/alert-rules');
    expect(await reviewPage.locator('[data-testid=rules-error]').count()).toBe(0);
    expect(
      await reviewPage.locator('[data-testid=nav] a').evaluateAll((links: PageElement[]) => links.map((link) => link.textContent?.trim())),
    ).toEqual(['Replay', 'Incidents']);
  });
});
